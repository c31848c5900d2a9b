import Foundation
import Postgres

/// The pool's maintenance thread: heartbeats for every in-flight attempt, and every
/// `maintenanceInterval` the rescuer, the stager and the scheduler; pruning every `pruneInterval`.
/// All of these are safe to run in every process at once (SKIP LOCKED + guarded updates), so no
/// leader election is needed.
struct Maintainer {
    let pool: WorkerPool

    func run() {
        let config = pool.configuration
        var connection: Connection?
        var lastHeartbeat = Date.distantPast
        var lastMaintenance = Date.distantPast
        var lastPrune = Date()
        let scheduler = Scheduler(queue: pool.queue)
        while !pool.state.halted {
            do {
                let conn: Connection
                if let existing = connection { conn = existing } else {
                    conn = try Connection(config.conninfo)
                    connection = conn
                }
                let now = Date()
                if now.timeIntervalSince(lastHeartbeat) >= config.heartbeatInterval {
                    try heartbeat(conn)
                    lastHeartbeat = now
                }
                if !pool.state.stopping && now.timeIntervalSince(lastMaintenance) >= config.maintenanceInterval {
                    try pool.queue.rescueExpired(conn)
                    try pool.queue.stageDue(conn)
                    if config.runScheduler { try scheduler.fireDue(conn) }
                    lastMaintenance = now
                }
                if !pool.state.stopping && now.timeIntervalSince(lastPrune) >= config.pruneInterval {
                    try pool.queue.prune(conn, olderThan: config.retentionSeconds)
                    lastPrune = now
                }
            } catch {
                pool.logger.warning("queue maintenance failed; retrying", metadata: ["error": "\(error)"])
                if let conn = connection, !conn.isHealthy { connection = nil }
            }
            pool.state.waitForWake(since: pool.state.generation,
                                   timeout: min(config.heartbeatInterval, config.maintenanceInterval, 0.5))
        }
    }

    /// Extends the leases of in-flight attempts that are within their kind's timeout; flags the
    /// ones cancelled by a person and the ones no longer ours.
    private func heartbeat(_ conn: Connection) throws {
        let now = Date()
        let tracked = pool.state.tracked()
        let live = tracked.filter { $0.value.timeoutAt > now }
        guard !live.isEmpty else { return }
        let held = try pool.queue.heartbeat(conn, owner: pool.owner, jobIDs: Array(live.keys),
                                            leaseSeconds: pool.configuration.leaseSeconds)
        for (id, entry) in live {
            if let cancel = held[id] {
                if cancel { entry.flags.cancelRequested.store(true, ordering: .relaxed) }
            } else if pool.state.tracked()[id] != nil {
                // Not held although still tracked: finished a moment ago, or rescued/released.
                // Only the second matters, and then the guards already stop its finish.
                entry.flags.lost.store(true, ordering: .relaxed)
            }
        }
    }
}
