import Foundation
import Postgres

/// Figures about a tenant's recent traffic that point at a setup problem, shown on
/// `GET /v1/tenants/{tenant}` as `stats`.
///
/// `ordersOnlyByPoll`: orders whose record was created in the last 24 hours by the backstop poll
/// and that no webhook has mentioned since (`records.arrived_via = 'poll'`). A steady number above
/// zero means the merchant's Commerce webhook is missing, misconfigured or failing its signature.
/// Counted by `RecordStore.countArrivedOnlyByPoll` on the partial index `records_poll_only_idx`.
public struct TenantStats: Sendable, Equatable {
    public static let windowHours = 24
    public var ordersOnlyByPoll: Int

    public init(ordersOnlyByPoll: Int) {
        self.ordersOnlyByPoll = ordersOnlyByPoll
    }

    public static func read(_ conn: Connection, tenant: TenantID, now: Date = Date(),
                            records: RecordStore = RecordStore()) throws -> TenantStats {
        let since = now.addingTimeInterval(-Double(windowHours) * 3600)
        return TenantStats(ordersOnlyByPoll: try records.countArrivedOnlyByPoll(conn, tenant: tenant.rawValue, since: since))
    }

    public var document: DocumentValue {
        .object(["window_hours": .int(Self.windowHours), "orders_only_by_poll": .int(ordersOnlyByPoll)])
    }
}
