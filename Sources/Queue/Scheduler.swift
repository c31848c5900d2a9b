import Foundation
import Postgres

/// Interval schedules per tenant and entity (`schedules`, `schedule_ticks`). Any number of
/// processes may call `fireDue` at once: each due schedule row is locked (SKIP LOCKED) and moved to
/// its next grid point in the same transaction that records the tick, and the tick's primary key
/// (schedule, fire time) rejects a second insert, so every tick enqueues exactly once. Ticks missed
/// while nothing ran are coalesced: one run, then the next grid point after now.
public struct Scheduler: Sendable {
    public let queue: JobQueue

    public init(queue: JobQueue) { self.queue = queue }

    /// Creates or changes the schedule of (tenant, entity): enqueue `kind` with `payload` every
    /// `everySeconds`, first at `firstAt` (default now).
    public func upsert(_ conn: Connection, tenantID: String, entity: String, kind: String,
                       everySeconds: Int, payload: String = "{}", firstAt: Date? = nil) throws {
        guard everySeconds > 0 else {
            throw QueueError(.invalidArgument, "schedule interval must be positive, got \(everySeconds)")
        }
        try conn.execute("""
            INSERT INTO schedules (tenant_id, entity, kind, payload, every_s, next_fire_at)
            VALUES ($1, $2, $3, $4::jsonb, $5, coalesce($6::timestamptz, now()))
            ON CONFLICT (tenant_id, entity) DO UPDATE
               SET kind = excluded.kind, payload = excluded.payload, every_s = excluded.every_s,
                   enabled = true,
                   next_fire_at = CASE WHEN $6::timestamptz IS NULL THEN schedules.next_fire_at
                                       ELSE excluded.next_fire_at END
            """, [.text(tenantID), .text(entity), .text(kind), .text(payload), everySeconds.postgresValue,
                  firstAt?.postgresValue])
    }

    public func remove(_ conn: Connection, tenantID: String, entity: String) throws {
        try conn.execute("DELETE FROM schedules WHERE tenant_id = $1 AND entity = $2", tenantID, entity)
    }

    /// Fires every due schedule once and returns the number of ticks this call enqueued. The job of
    /// a tick carries dedup key `schedule:<tenant>:<entity>`, so a run still going when the next
    /// tick fires is not doubled.
    @discardableResult
    public func fireDue(_ conn: Connection, limit: Int = 100) throws -> Int {
        try conn.transaction { conn in
            let ticks = try conn.query("""
                WITH due AS MATERIALIZED (
                    SELECT id, tenant_id, entity, kind, payload, every_s, next_fire_at FROM schedules
                     WHERE enabled AND next_fire_at <= now()
                     ORDER BY next_fire_at LIMIT $1 FOR UPDATE SKIP LOCKED
                ),
                advanced AS (
                    UPDATE schedules s
                       SET next_fire_at = d.next_fire_at + make_interval(secs => d.every_s::float8 *
                               (floor(extract(epoch FROM now() - d.next_fire_at) / d.every_s) + 1)),
                           last_fired_at = now()
                      FROM due d WHERE s.id = d.id AND s.next_fire_at = d.next_fire_at
                ),
                tick AS (
                    INSERT INTO schedule_ticks (schedule_id, fire_at)
                    SELECT id, next_fire_at FROM due ON CONFLICT DO NOTHING
                    RETURNING schedule_id, fire_at
                )
                SELECT d.id, d.tenant_id, d.entity, d.kind, d.payload::text AS payload, t.fire_at
                  FROM tick t JOIN due d ON d.id = t.schedule_id
                """, limit)
            for tick in ticks {
                let tenant: String = try tick.decode("tenant_id")
                let entity: String = try tick.decode("entity")
                let result = try queue.enqueue(conn, EnqueueRequest(
                    kind: try tick.decode("kind"), tenantID: tenant, payload: try tick.decode("payload"),
                    dedupKey: "schedule:\(tenant):\(entity)"))
                try conn.execute("UPDATE schedule_ticks SET job_id = $1 WHERE schedule_id = $2 AND fire_at = $3",
                                 [result.job.id.postgresValue, try tick.decode("id", as: Int64.self).postgresValue,
                                  .text(try tick.decode("fire_at", as: String.self))])
            }
            return ticks.count
        }
    }
}
