import Postgres
import Queue

/// Copies what the tenant documents say about running into the queue's own tables: each tenant's
/// `gp.max_parallel_calls` into its GP slot limit, and its `schedule.*_every_s` into interval
/// schedules (`sync_items`, `sync_customers`, `poll_orders`; 0 removes one). Idempotent, so every
/// process may run it on start and on every tick; a schedule keeps its next fire time when only
/// re-applied.
public struct TenantScheduleSync: Sendable {
    public let queue: JobQueue

    public init(queue: JobQueue) { self.queue = queue }

    /// One schedule a tenant document implies.
    public struct Entry: Sendable, Equatable {
        public var entity: String
        public var kind: String
        public var everySeconds: Int
        public var payload: String
    }

    public static func entries(_ schedule: ScheduleSettings) -> [Entry] {
        [
            Entry(entity: "items", kind: ConnectorJobs.syncItems, everySeconds: schedule.itemsEveryS,
                  payload: #"{"mode":"incremental"}"#),
            Entry(entity: "customers", kind: ConnectorJobs.syncCustomers, everySeconds: schedule.customersEveryS,
                  payload: #"{"mode":"incremental"}"#),
            Entry(entity: "orders", kind: ConnectorJobs.pollOrders, everySeconds: schedule.ordersBackstopEveryS,
                  payload: #"{"mode":"incremental"}"#),   // no entity: both lists
        ]
    }

    /// Applies one tenant.
    public func apply(_ conn: Connection, _ tenant: Tenant) throws {
        let id = tenant.id.rawValue
        try queue.setTenantLimit(conn, tenantID: id, maxParallel: max(1, tenant.settings.gp.maxParallelCalls))
        let scheduler = Scheduler(queue: queue)
        for entry in Self.entries(tenant.settings.schedule) {
            if entry.everySeconds > 0 {
                try scheduler.upsert(conn, tenantID: id, entity: entry.entity, kind: entry.kind,
                                     everySeconds: entry.everySeconds, payload: entry.payload)
            } else {
                try scheduler.remove(conn, tenantID: id, entity: entry.entity)
            }
        }
    }

    /// Applies every tenant of `store` and drops the schedules of tenants that no longer exist.
    /// Returns the number of tenants applied.
    @discardableResult
    public func applyAll(_ conn: Connection, store: TenantStore) throws -> Int {
        var ids: [String] = []
        var after: TenantID?
        while true {
            let page = try store.list(limit: 200, after: after)
            for tenant in page {
                try apply(conn, tenant)
                ids.append(tenant.id.rawValue)
            }
            guard page.count == 200, let last = page.last else { break }
            after = last.id
        }
        try conn.execute("DELETE FROM schedules WHERE NOT (tenant_id = ANY($1::text[]))", [SQLArrayText.encode(ids)])
        return ids.count
    }
}

/// A text[] literal for one parameter (`{"a","b"}`), quoting every element.
enum SQLArrayText {
    static func encode(_ values: [String]) -> PostgresValue {
        let body = values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        return .text("{" + body.joined(separator: ",") + "}")
    }
}
