import Commerce
import GP
import Queue

/// Maps what a flow throws to what the queue should do with the job. Permanent causes (bad
/// settings, credentials, a GP rule nobody can retry away) go straight to `discarded` without
/// burning the remaining attempts; transient ones (unreachable, 5xx, 429, a worker shutting down)
/// retry with backoff, or after the remote's Retry-After.
public enum FlowFailure {
    public static func map(_ error: any Error) -> any Error {
        switch error {
        case let failure as JobFailure:
            return failure
        case let gp as GPError:
            return gp.isRetryable
                ? JobFailure.retryable("\(gp.code): \(gp.message)")
                : JobFailure.permanent("\(gp.code): \(gp.message) \(gp.suggestedFix)")
        case let commerce as CommerceError:
            return commerce.isRetryable
                ? JobFailure.retryable("\(commerce.code): \(commerce.message)", after: commerce.retryAfter)
                : JobFailure.permanent("\(commerce.code): \(commerce.message)")
        case let runtime as RuntimeError:
            return JobFailure.permanent(runtime.description)
        case let sync as SyncError:
            switch sync {
            case .cancelled: return JobFailure.retryable("\(sync.code): \(sync.message)")
            case .writerOutcomeMismatch: return JobFailure.permanent("\(sync.code): \(sync.message)")
            }
        case let bulk as CommerceProductWriterError:
            return JobFailure.retryable("\(bulk.code): \(bulk.message)", after: 60)
        default:
            return error
        }
    }
}
