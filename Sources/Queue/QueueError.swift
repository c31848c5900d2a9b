/// Failures the queue reports to its callers, each with a stable snake_case `code` and a human
/// `message` (no secrets: messages carry ids, kinds and states only).
public struct QueueError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// No job with that id (or not visible to the asking tenant).
        case notFound = "job_not_found"
        /// The job is in a state that does not allow the action (e.g. replaying a running job).
        case invalidState = "job_invalid_state"
        /// Replaying would create a second live job with the same dedup key.
        case dedupConflict = "job_dedup_conflict"
        /// This worker no longer owns the job (its lease expired and it was rescued, or it was
        /// released): the transaction that wanted to complete it was rolled back.
        case leaseLost = "job_lease_lost"
        /// A value given to the queue is out of range (interval, limit, payload).
        case invalidArgument = "queue_invalid_argument"
        /// A database row could not be read as a job.
        case malformedRow = "queue_malformed_row"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
