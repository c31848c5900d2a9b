/// How one attempt ended, as the worker reports it to `JobQueue.finish`. Pure value: the state the
/// job moves to is decided here (`nextState`), the SQL only applies it under the owner/attempt guard.
public enum JobOutcome: Sendable, Equatable {
    case completed
    /// Retry after `delay` seconds (0 = available at once); discarded instead when the attempt was
    /// the last one allowed.
    case retry(error: String, delay: Double)
    case discard(error: String)
    case cancelled(error: String)

    /// The state after this outcome, for an attempt `attempt` of `maxAttempts`.
    public func nextState(attempt: Int, maxAttempts: Int) -> JobState {
        switch self {
        case .completed: return .completed
        case .retry(_, let delay):
            if attempt >= maxAttempts { return .discarded }
            return delay > 0 ? .retryable : .available
        case .discard: return .discarded
        case .cancelled: return .cancelled
        }
    }

    /// Maps what a handler threw (or `nil` for success) to an outcome.
    public static func from(error: (any Error)?, attempt: Int, cancelRequested: Bool,
                            backoff: Backoff) -> JobOutcome {
        guard let error else { return .completed }
        if cancelRequested { return .cancelled(error: "cancelled on request: \(describe(error))") }
        switch error {
        case let failure as JobFailure:
            switch failure {
            case .permanent(let message): return .discard(error: message)
            case .retryable(let message, let after):
                return .retry(error: message, delay: backoff.delay(attempt: attempt, requested: after))
            }
        default:
            return .retry(error: describe(error), delay: backoff.delay(attempt: attempt))
        }
    }

    static func describe(_ error: any Error) -> String { String(describing: error) }

    var error: String? {
        switch self {
        case .completed: return nil
        case .retry(let error, _), .discard(let error), .cancelled(let error): return error
        }
    }

    /// The word stored in `jobs_finish` input (the SQL maps it with the attempt budget).
    var code: String {
        switch self {
        case .completed: return "completed"
        case .retry: return "retry"
        case .discard: return "discard"
        case .cancelled: return "cancelled"
        }
    }

    var delay: Double {
        if case .retry(_, let delay) = self { return delay }
        return 0
    }
}
