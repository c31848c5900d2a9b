/// How one run of the posting step ended. The job maps it: `.retry` → a retryable failure
/// (after `after` seconds when the remote said so), everything else → the job completes (a parked
/// record waits for a person and is replayed through the API).
public enum PostingOutcome: Sendable, Equatable {
    /// GP accepted the document now.
    case posted(documentNumber: String)
    /// GP already held our document from an earlier attempt whose answer was lost.
    case alreadyPosted(documentNumber: String)
    /// The event was recorded on the order's record; nothing was posted (not the trigger event,
    /// or the order is already posted).
    case noted(reason: String)
    /// Waiting for a person (`needs_attention` or `conflict`).
    case parked(ParkReason)
    /// The order never appeared in Commerce within the wait.
    case abandoned
    /// Try again later (GP or Commerce unavailable, order not visible yet, another worker busy).
    case retry(RecordError, after: Double?)
}
