import Foundation
import Postgres

/// One finished attempt, for `JobQueue.finish`.
public struct JobCompletion: Sendable {
    public var id: Int64
    public var attempt: Int
    public var outcome: JobOutcome
    public var startedAt: Date
    public var durationMs: Double

    public init(id: Int64, attempt: Int, outcome: JobOutcome, startedAt: Date, durationMs: Double) {
        self.id = id
        self.attempt = attempt
        self.outcome = outcome
        self.startedAt = startedAt
        self.durationMs = durationMs
    }
}

extension JobQueue {
    /// Claims up to `limit` available jobs for `owner` in one statement (see `QueueSQL.claim` for
    /// the fairness and GP-slot rules). `after` is the rotation cursor: tenants sorting after it
    /// are served first (pass the last tenant this worker served).
    public func claim(_ conn: Connection, owner: String, limit: Int, leaseSeconds: Double,
                      after: String = "", gpPerTenant: Int = 1) throws -> [Job] {
        // Planned per call (not prepared): a generic plan cannot know the batch size and chose
        // nested loops that grew with its square (measured: 33 ms vs 6 ms for 500 outcomes).
        let rows = try conn.query(QueueSQL.claim, [
            .text(owner), limit.postgresValue, leaseSeconds.postgresValue, .text(after),
            gpPerTenant.postgresValue,
        ])
        return try rows.map { try Job(claimRow: $0) }
    }

    /// Records how attempts ended, in one statement for the whole batch. Only rows still owned by
    /// `owner` at exactly that attempt and still running change; returns the ids that did (a job
    /// missing from the answer was rescued or released meanwhile, and its outcome is dropped).
    @discardableResult
    public func finish(_ conn: Connection, owner: String, _ completions: [JobCompletion]) throws -> Set<Int64> {
        guard !completions.isEmpty else { return [] }
        let rows = try conn.query(QueueSQL.finish, [  // planned per call, see `claim`
            .text(owner),
            SQLArray.int64(completions.map(\.id)),
            SQLArray.int(completions.map(\.attempt)),
            SQLArray.text(completions.map { $0.outcome.code }),
            SQLArray.double(completions.map { $0.outcome.delay }),
            SQLArray.text(completions.map { $0.outcome.error }),
            SQLArray.text(completions.map { $0.startedAt.sqlText }),
            SQLArray.double(completions.map(\.durationMs)),
        ])
        return Set(try rows.map { try $0.decode(0, as: Int64.self) })
    }

    /// Extends the leases of `jobs` (id → attempt) still held by `owner`. Returns, per job still
    /// held, whether cancellation was requested; a job missing from the answer is lost.
    public func heartbeat(_ conn: Connection, owner: String, jobIDs: [Int64],
                          leaseSeconds: Double) throws -> [Int64: Bool] {
        guard !jobIDs.isEmpty else { return [:] }
        let rows = try conn.queryCached(QueueSQL.heartbeat, [
            .text(owner), leaseSeconds.postgresValue, SQLArray.int64(jobIDs),
        ])
        var held: [Int64: Bool] = [:]
        for row in rows { held[try row.decode(0)] = try row.decode(1) }
        return held
    }

    /// Gives claimed jobs back to `available` without using up an attempt (shutdown). Returns the
    /// ids released.
    @discardableResult
    public func release(_ conn: Connection, owner: String, jobs: [(id: Int64, attempt: Int)],
                        reason: String = "worker shutting down: released without using up an attempt") throws -> Set<Int64> {
        guard !jobs.isEmpty else { return [] }
        let rows = try conn.queryCached(QueueSQL.release, [
            .text(owner), SQLArray.int64(jobs.map(\.id)), SQLArray.int(jobs.map(\.attempt)), .text(reason),
        ])
        let released = Set(try rows.map { try $0.decode(0, as: Int64.self) })
        if !released.isEmpty { try wake(conn) }
        return released
    }

    /// Returns running jobs whose lease expired to available (or discarded on their last attempt),
    /// at most `limit` per call. Returns how many were rescued.
    @discardableResult
    public func rescueExpired(_ conn: Connection, limit: Int = 500) throws -> Int {
        let count = try conn.queryCached(QueueSQL.rescue, [limit.postgresValue]).count
        if count > 0 { try wake(conn) }
        return count
    }

    /// Makes due scheduled and retryable jobs available. Returns how many.
    @discardableResult
    public func stageDue(_ conn: Connection, limit: Int = 1000) throws -> Int {
        let count = try conn.queryCached(QueueSQL.stage, [limit.postgresValue]).count
        if count > 0 { try wake(conn) }
        return count
    }

    /// Deletes completed and cancelled jobs (with their history) finished more than `olderThan`
    /// seconds ago, in batches of `batchSize` (one short transaction each, so pruning never holds
    /// many row locks or a long snapshot). Unfinished and discarded jobs are never pruned.
    @discardableResult
    public func prune(_ conn: Connection, olderThan: Double = 7 * 86_400, batchSize: Int = 500,
                      maxBatches: Int = 100) throws -> Int {
        var total = 0
        for _ in 0..<maxBatches {
            let deleted: Int = try conn.queryCached(QueueSQL.prune, [olderThan.postgresValue,
                                                                     batchSize.postgresValue])[0].decode(0)
            total += deleted
            if deleted < batchSize { break }
        }
        _ = try conn.queryCached(QueueSQL.pruneTicks, [olderThan.postgresValue, (batchSize * 10).postgresValue])
        return total
    }
}
