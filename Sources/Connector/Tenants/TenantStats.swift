import Postgres

/// Figures about a tenant's recent traffic that point at a setup problem, shown on
/// `GET /v1/tenants/{tenant}` as `stats`.
///
/// `ordersOnlyByPoll24h`: orders whose record was created in the last 24 hours by the backstop
/// poll and that no webhook has mentioned since (`records.arrived_via = 'poll'`). A steady number
/// above zero means the merchant's Commerce webhook is missing, misconfigured or failing its
/// signature. Counted with the partial index `records_poll_only_idx` (003_records.sql).
public struct TenantStats: Sendable, Equatable {
    public static let windowHours = 24
    public var ordersOnlyByPoll24h: Int

    public init(ordersOnlyByPoll24h: Int) {
        self.ordersOnlyByPoll24h = ordersOnlyByPoll24h
    }

    public static func read(_ conn: Connection, tenant: TenantID) throws -> TenantStats {
        let rows = try conn.queryCached("""
            SELECT count(*) AS n FROM records
             WHERE tenant_id = $1 AND entity = 'order' AND arrived_via = 'poll'
               AND created_at > now() - make_interval(hours => $2::int)
            """, tenant.rawValue, windowHours)
        return TenantStats(ordersOnlyByPoll24h: Int(try rows.first?.decode("n", as: Int64.self) ?? 0))
    }

    public var document: DocumentValue {
        .object(["window_hours": .int(Self.windowHours), "orders_only_by_poll": .int(ordersOnlyByPoll24h)])
    }
}
