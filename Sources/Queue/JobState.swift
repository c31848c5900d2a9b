/// The states a job row can be in (the `jobs.state` column). See `Schema/002_queue.sql`.
public enum JobState: String, Sendable, Codable, CaseIterable {
    case available, scheduled, retryable, running, completed, discarded, cancelled

    /// States in which the job still has work ahead: these hold the dedup key and are never pruned.
    public static let unfinished: [JobState] = [.available, .scheduled, .retryable, .running]

    /// Replay is allowed only from a final state.
    public var isFinal: Bool { self == .completed || self == .discarded || self == .cancelled }
}
