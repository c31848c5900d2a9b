import Foundation
import Postgres

extension JobQueue {
    /// Enqueues one job on `conn` — inside the caller's transaction if one is open. A live job
    /// (available, scheduled, retryable, running) with the same `dedupKey` is returned instead of
    /// inserting a second one. Wakes idle workers with one NOTIFY (delivered at commit; PostgreSQL
    /// folds identical notifications of one transaction into one).
    public func enqueue(_ conn: Connection, _ request: EnqueueRequest) throws -> EnqueueResult {
        let uses = usesGP(request.kind)
        if uses { try ensureSlots(conn, tenantID: request.tenantID) }
        let params: [PostgresValue?] = [
            .text(request.tenantID), .text(request.kind), request.priority.postgresValue,
            request.dedupKey.map { .text($0) }, request.runAt?.postgresValue,
            (request.maxAttempts ?? maxAttempts(request.kind)).postgresValue, uses.postgresValue,
            .text(request.payload),
        ]
        // A conflict with a row committed after this statement's snapshot returns no row; a new
        // statement (fresh snapshot under READ COMMITTED) then sees it — or inserts, if it finished.
        for _ in 0..<20 {
            let rows = try conn.queryCached(QueueSQL.enqueue, params)
            if let row = rows.first {
                let result = EnqueueResult(job: try JobRecord(row: row), inserted: try row.decode("inserted"))
                if result.inserted && result.job.state == .available { try wake(conn) }
                return result
            }
        }
        throw QueueError(.invalidState, "enqueue of \(request.kind) kept racing with dedup key changes; try again")
    }

    /// What `enqueue` stamps on a job of `kind` from the registry, for a caller that builds the
    /// insert into its own statement (`QueueSQL.enqueueInsert`).
    public func stamp(_ kind: String) -> (usesGP: Bool, maxAttempts: Int) {
        (usesGP(kind), maxAttempts(kind))
    }

    /// Convenience for `enqueue(_:_:)`.
    public func enqueue(_ conn: Connection, kind: String, tenant: String, payload: String = "{}",
                        dedupKey: String? = nil, runAt: Date? = nil, priority: Int = 100) throws -> EnqueueResult {
        try enqueue(conn, EnqueueRequest(kind: kind, tenantID: tenant, payload: payload, dedupKey: dedupKey,
                                         runAt: runAt, priority: priority))
    }

    /// Enqueues many jobs in one statement (jobs whose dedup key is live are skipped). Returns how
    /// many were inserted. One NOTIFY at most.
    @discardableResult
    public func enqueueMany(_ conn: Connection, _ requests: [EnqueueRequest]) throws -> Int {
        guard !requests.isEmpty else { return 0 }
        let gpTenants = Set(requests.filter { usesGP($0.kind) }.map(\.tenantID))
        for tenant in gpTenants.sorted() { try ensureSlots(conn, tenantID: tenant) }
        let rows = try conn.queryCached(QueueSQL.enqueueMany, [
            SQLArray.text(requests.map(\.tenantID)),
            SQLArray.text(requests.map(\.kind)),
            SQLArray.int(requests.map(\.priority)),
            SQLArray.text(requests.map { $0.runAt?.sqlText }),
            SQLArray.int(requests.map { $0.maxAttempts ?? maxAttempts($0.kind) }),
            SQLArray.bool(requests.map { usesGP($0.kind) }),
            SQLArray.text(requests.map(\.dedupKey)),
            SQLArray.text(requests.map(\.payload)),
        ])
        if try rows.contains(where: { try $0.decode(0, as: Bool.self) }) { try wake(conn) }
        return rows.count
    }

    /// Sets a tenant's GP concurrency (the tenants code calls this whenever max_parallel_calls
    /// changes). Lowering it does not stop jobs already running: they finish, and their slot rows
    /// are gone, so no new job starts until the tenant is under the new limit.
    public func setTenantLimit(_ conn: Connection, tenantID: String, maxParallel: Int) throws {
        guard maxParallel > 0 else {
            throw QueueError(.invalidArgument, "max_parallel_calls must be at least 1, got \(maxParallel)")
        }
        try conn.transaction { conn in
            try conn.execute("""
                INSERT INTO queue_tenant_limits (tenant_id, max_parallel) VALUES ($1, $2)
                ON CONFLICT (tenant_id) DO UPDATE SET max_parallel = excluded.max_parallel
                """, tenantID, maxParallel)
            try conn.execute("""
                INSERT INTO queue_gp_slots (tenant_id, slot) SELECT $1, g FROM generate_series(1, $2::int) g
                ON CONFLICT DO NOTHING
                """, tenantID, maxParallel)
            try conn.execute("DELETE FROM queue_gp_slots WHERE tenant_id = $1 AND slot > $2", tenantID, maxParallel)
        }
    }

    func ensureSlots(_ conn: Connection, tenantID: String) throws {
        _ = try conn.queryCached(QueueSQL.ensureSlots, [.text(tenantID), defaultMaxParallelGPCalls.postgresValue])
    }

    func wake(_ conn: Connection) throws {
        try conn.notify(channel: channel)
    }
}
