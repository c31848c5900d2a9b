/// Why a GP → Commerce sync (items or customers) stopped before the end.
public enum SyncError: Error, Sendable, Equatable {
    case cancelled
    case writerOutcomeMismatch(expected: Int, got: Int)

    public var code: String {
        switch self {
        case .cancelled: "sync_cancelled"
        case .writerOutcomeMismatch: "writer_outcome_mismatch"
        }
    }

    public var message: String {
        switch self {
        case .cancelled: "The sync stopped because its job was cancelled or the worker is shutting down."
        case .writerOutcomeMismatch(let e, let g): "The product writer reported \(g) outcomes for \(e) products."
        }
    }
}
