/// Where a record stands. `posted` is final: nothing moves a record out of it, so a replay or a
/// late webhook can never post an order twice.
public enum RecordStatus: String, Sendable, Codable, CaseIterable {
    /// Known (webhook or poll) and waiting for its job.
    case pending
    /// Written to Commerce (items, customers); the content hash is what was written.
    case synced
    /// Deliberately not written (no e-mail, no price, policy); the reason is the last error.
    case skipped
    /// A GP document exists for it (created now or found as our earlier attempt).
    case posted
    /// Parked for a person with a reason and a suggested fix; replayable.
    case needsAttention = "needs_attention"
    /// GP holds a different document under our number; a person decides.
    case conflict
    /// The last attempt failed with a retryable error; the job retries.
    case failed
    /// Given up without an error on our side (an order that never appeared).
    case abandoned

    /// Whether a record may move from `from` to `self`.
    public func canFollow(_ from: RecordStatus) -> Bool {
        from != .posted || self == .posted
    }

    /// The statuses a record may be in for a move to `self` (for the guarded UPDATE).
    public var allowedPrevious: [RecordStatus] {
        RecordStatus.allCases.filter { canFollow($0) }
    }
}
