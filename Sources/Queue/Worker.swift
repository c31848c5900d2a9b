import Foundation
import Logging
import Postgres

/// One worker thread: claim a batch, run each job's handler, record the outcomes in one
/// statement. Owns its connection and reconnects by itself after the database went away.
struct Worker {
    let pool: WorkerPool
    let index: Int

    private var queue: JobQueue { pool.queue }
    private var config: WorkerPoolConfiguration { pool.configuration }
    private var state: PoolState { pool.state }

    func run() {
        var connection: Connection?
        var cursor = ""
        var pending: [JobCompletion] = []
        // Claimed jobs not started when the connection broke: given back after reconnecting.
        var unstarted: [Job] = []
        while true {
            guard let conn = connection ?? connect() else {
                if state.stopping { break }
                continue
            }
            connection = conn
            do {
                // Outcomes kept from before a connection loss are recorded first (the guard drops
                // them if the rescuer got there meanwhile).
                try flush(&pending, conn)
                if !unstarted.isEmpty {
                    _ = try queue.release(conn, owner: pool.owner, jobs: unstarted.map { ($0.id, $0.attempt) },
                                          reason: "worker lost its database connection before starting the job")
                    state.untrack(unstarted.map(\.id))
                    unstarted.removeAll()
                }
                if state.stopping { break }
                let seen = state.generation
                let jobs = try queue.claim(conn, owner: pool.owner, limit: config.batchSize,
                                           leaseSeconds: config.leaseSeconds, after: cursor,
                                           gpPerTenant: config.gpPerTenantPerClaim)
                if jobs.isEmpty {
                    state.waitForWake(since: seen, timeout: config.pollInterval)
                    continue
                }
                cursor = nextCursor(after: cursor, served: jobs.map(\.tenantID))
                try runBatch(jobs, conn, &pending, &unstarted)
            } catch {
                if !conn.isHealthy || (error as? PostgresError)?.isConnectionProblem == true {
                    pool.logger.warning("worker lost its database connection; reconnecting",
                                        metadata: ["worker": "\(index)", "error": "\(error)"])
                    connection = nil
                } else {
                    pool.logger.error("worker statement failed", metadata: ["worker": "\(index)", "error": "\(error)"])
                    Thread.sleep(forTimeInterval: 0.2)
                }
            }
        }
    }

    /// GP jobs first (they hold a slot from claim on), each GP outcome recorded at once to free
    /// the slot; the rest recorded together at the end of the batch.
    private func runBatch(_ jobs: [Job], _ conn: Connection, _ pending: inout [JobCompletion],
                          _ unstarted: inout [Job]) throws {
        let ordered = jobs.filter(\.usesGP) + jobs.filter { !$0.usesGP }
        var flags: [Int64: AttemptFlags] = [:]
        for job in ordered {
            let entry = PoolState.InFlight(
                attempt: job.attempt, flags: AttemptFlags(),
                timeoutAt: Date().addingTimeInterval(queue.registry.kind(job.kind)?.timeout ?? 1800))
            flags[job.id] = entry.flags
            state.track(job.id, entry)
        }
        for (position, job) in ordered.enumerated() {
            if state.stopping {
                let rest = ordered[position...]
                try flush(&pending, conn)
                _ = try queue.release(conn, owner: pool.owner, jobs: rest.map { ($0.id, $0.attempt) })
                state.untrack(rest.map(\.id))
                return
            }
            if let completion = execute(job, conn, flags[job.id] ?? AttemptFlags()) {
                pending.append(completion)
            } else {
                state.untrack([job.id])
            }
            if !conn.isHealthy {
                unstarted = Array(ordered[(position + 1)...])
                throw PostgresError(.connectionLost, "worker connection lost during a batch")
            }
            if job.usesGP { try flush(&pending, conn) }
        }
        try flush(&pending, conn)
    }

    /// Runs one handler; nil when nothing is left to record (completed in its own transaction, or
    /// the lease was lost).
    private func execute(_ job: Job, _ conn: Connection, _ flags: AttemptFlags) -> JobCompletion? {
        let started = Date()
        let context = JobContext(job: job, connection: conn, queue: queue, owner: pool.owner, flags: flags,
                                 pool: state, startedAt: started)
        var failure: (any Error)?
        if let handler = queue.registry.handler(job.kind) {
            do { try handler(job, context) } catch { failure = error }
        } else {
            failure = JobFailure.permanent("unknown job kind \"\(job.kind)\": no handler is registered for it in this worker")
        }
        pool.counters.processed.add(1, ordering: .relaxed)
        if context.completedInTransaction { return nil }
        if let lost = failure as? QueueError, lost.code == .leaseLost { return nil }
        if failure != nil, let error = failure as? PostgresError, error.isConnectionProblem {
            // The outcome is unknown to us; the lease decides (rescue, then another attempt).
            pool.logger.warning("job lost its connection mid-run", metadata: ["job": "\(job.id)"])
        }
        let outcome = JobOutcome.from(error: failure, attempt: job.attempt,
                                      cancelRequested: flags.cancelRequested.load(ordering: .relaxed),
                                      backoff: queue.backoff)
        return JobCompletion(id: job.id, attempt: job.attempt, outcome: outcome, startedAt: started,
                             durationMs: Date().timeIntervalSince(started) * 1000)
    }

    private func flush(_ pending: inout [JobCompletion], _ conn: Connection) throws {
        guard !pending.isEmpty else { return }
        _ = try queue.finish(conn, owner: pool.owner, pending)
        state.untrack(pending.map(\.id))
        pending.removeAll(keepingCapacity: true)
    }

    /// The rotation cursor: the tenant served last in rotation order this round.
    private func nextCursor(after cursor: String, served: [String]) -> String {
        let after = served.filter { $0 > cursor }
        return after.max() ?? served.max() ?? cursor
    }

    private func connect() -> Connection? {
        do {
            let conn = try Connection(config.conninfo)
            if config.asyncAcks { try conn.executeScript("SET synchronous_commit = off") }
            return conn
        } catch {
            pool.logger.warning("worker cannot connect; retrying", metadata: ["worker": "\(index)", "error": "\(error)"])
            state.waitForWake(since: state.generation, timeout: 1)
            return nil
        }
    }
}
