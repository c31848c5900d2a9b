/// What a handler throws to say how its job failed. Any other error thrown by a handler counts as
/// `.retryable` with the error's description.
///
/// ```swift
/// throw JobFailure.retryable("GP answered 503", after: retryAfterSeconds)  // honour Retry-After
/// throw JobFailure.permanent("customer C-1001 is on hold")                  // straight to discarded
/// ```
public enum JobFailure: Error, Sendable, Equatable {
    /// Try again later: after `after` seconds if given (a remote Retry-After), else after the
    /// exponential backoff. Burns one attempt; when attempts are exhausted the job is discarded.
    case retryable(String, after: Double? = nil)
    /// Do not retry: the job goes to `discarded` with this error, keeping payload and history,
    /// and can be replayed once the cause is fixed.
    case permanent(String)

    public var message: String {
        switch self {
        case .retryable(let message, _), .permanent(let message): return message
        }
    }
}
