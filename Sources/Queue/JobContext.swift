import Foundation
import Postgres
import Synchronization

/// Flags one in-flight attempt shares between its worker thread, the heartbeat thread and the pool.
final class AttemptFlags: Sendable {
    let cancelRequested = Atomic<Bool>(false)
    /// The heartbeat found the job no longer ours (rescued or released).
    let lost = Atomic<Bool>(false)
}

/// What a handler gets besides its job: progress reporting, a cancellation check, and the
/// transaction that completes the job together with the handler's own database writes.
///
/// ```swift
/// registry.register("records.import") { job, context in
///     for (index, page) in pages.enumerated() {
///         if context.isCancelled { throw JobFailure.retryable("stopping") }
///         try context.reportProgress(processed: index + 1, total: pages.count)
///     }
///     try context.transaction { conn in          // side effects + completion: all or nothing
///         try conn.execute("INSERT INTO records …")
///     }
/// }
/// ```
public final class JobContext: @unchecked Sendable {
    public let job: Job
    /// The worker thread's own connection (not in a transaction). Use it for reads; write through
    /// `transaction` so the writes commit only together with the job's completion.
    public let connection: Connection
    let queue: JobQueue
    let owner: String
    let flags: AttemptFlags
    let pool: PoolState
    let startedAt: Date
    private var lastProgressWrite: Date = .distantPast
    /// Set once `transaction` committed the completion.
    private(set) var completedInTransaction = false

    init(job: Job, connection: Connection, queue: JobQueue, owner: String, flags: AttemptFlags,
         pool: PoolState, startedAt: Date) {
        self.job = job
        self.connection = connection
        self.queue = queue
        self.owner = owner
        self.flags = flags
        self.pool = pool
        self.startedAt = startedAt
    }

    /// True when the handler should stop soon: someone cancelled the job, the worker pool passed
    /// its shutdown deadline, or the job's lease was lost. Long handlers should check it between
    /// steps and throw (a retryable failure, or anything for a cancelled job).
    public var isCancelled: Bool {
        flags.cancelRequested.load(ordering: .relaxed) || flags.lost.load(ordering: .relaxed)
            || pool.pastDeadline
    }

    /// True when a person asked to cancel this job (as opposed to a shutdown).
    public var cancelRequested: Bool { flags.cancelRequested.load(ordering: .relaxed) }

    /// Stores `{"processed": n, "total": m, "counters": {...}}` in the job's progress. Writes at
    /// most twice a second (and always the final `processed == total`), guarded by owner and attempt.
    public func reportProgress(processed: Int, total: Int? = nil, counters: [String: Int] = [:]) throws {
        let now = Date()
        guard processed == total || now.timeIntervalSince(lastProgressWrite) >= 0.5 else { return }
        lastProgressWrite = now
        struct Progress: Encodable { let processed: Int; let total: Int?; let counters: [String: Int] }
        let json = String(decoding: try JSONEncoder().encode(Progress(processed: processed, total: total,
                                                                     counters: counters)), as: UTF8.self)
        _ = try connection.queryCached("""
            UPDATE jobs SET progress = $4::jsonb
             WHERE id = $1 AND owner = $2 AND attempt = $3 AND state = 'running'
            """, [job.id.postgresValue, .text(owner), job.attempt.postgresValue, .text(json)])
    }

    /// Runs `body` in a transaction on the worker's connection and marks the job completed in that
    /// same transaction. Either both the handler's writes and the completion commit, or neither:
    /// if this worker no longer owns the attempt (rescued after a lost lease) the transaction rolls
    /// back and `QueueError.leaseLost` is thrown — the attempt that does own the job will do the
    /// work. This is what makes database side effects exactly-once.
    @discardableResult
    public func transaction<T>(_ body: (Connection) throws -> T) throws -> T {
        let value = try connection.transaction { conn in
            // The worker session may commit claims asynchronously; side effects never do.
            try conn.executeScript("SET LOCAL synchronous_commit = on")
            let value = try body(conn)
            let done = try queue.finish(conn, owner: owner, [JobCompletion(
                id: job.id, attempt: job.attempt, outcome: .completed, startedAt: startedAt,
                durationMs: Date().timeIntervalSince(startedAt) * 1000)])
            guard done.contains(job.id) else {
                throw QueueError(.leaseLost, "job \(job.id) attempt \(job.attempt) is no longer owned by \(owner)")
            }
            return value
        }
        completedInTransaction = true
        return value
    }
}
