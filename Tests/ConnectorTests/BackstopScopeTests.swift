import Commerce
import Connector
import Foundation
import Postgres
import Testing

/// Updated orders and invoices from memory, remembering which list was read from when.
final class ScopedUpdatedSales: UpdatedSalesSource {
    var orders: [CommerceOrder] = []
    var invoices: [CommerceInvoice] = []
    private(set) var reads: [(list: String, since: String)] = []

    func ordersUpdated(since: String, until: String, _ page: ([CommerceOrder]) throws -> Void) throws {
        reads.append(("orders", since))
        try page(orders)
    }

    func invoicesUpdated(since: String, until: String, _ page: ([CommerceInvoice]) throws -> Void) throws {
        reads.append(("invoices", since))
        try page(invoices)
    }

    func order(id: Int) throws -> CommerceOrder? { orders.first { $0.entityId == id } }
}

/// `poll_orders` on demand: one Commerce list or both, incrementally or in full from a date.
@Suite(.serialized) struct BackstopScopeTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)   // 2026-11-18 11:06:40 UTC

    static func sales() -> ScopedUpdatedSales {
        let fixtures = MemorySales()
        fixtures.add("A", entityId: 1)
        let sales = ScopedUpdatedSales()
        sales.orders = [fixtures.orders["A"]!]
        sales.invoices = fixtures.invoicesByOrder.values.flatMap { $0 }
        return sales
    }

    @Test func anInvoicesOnlyPollReadsAndAdvancesOnlyTheInvoicesWatermark() throws {
        let conn = try FlowsDatabase.connection("scope_invoices")
        let sales = Self.sales()
        var backstop = OrderBackstop(tenant: "acme", trigger: .invoiceCaptured, source: sales)
        backstop.entities = PollRequest(entity: .invoices).entities
        var jobs: [String] = []
        let summary = try backstop.run(conn, now: Self.now) { key, _ in jobs.append(key) }
        #expect(sales.reads.map(\.list) == ["invoices"])
        #expect(summary.ordersSeen == 0 && summary.invoicesSeen == 1)
        #expect(jobs == ["order:acme:A"])
        let watermarks = WatermarkStore()
        #expect(try watermarks.watermark(conn, tenant: "acme", entity: OrderBackstop.invoicesWatermark)?.value == Self.now)
        // The orders watermark did not move: the next orders poll still starts a day back.
        #expect(try watermarks.watermark(conn, tenant: "acme", entity: OrderBackstop.ordersWatermark) == nil)

        backstop.entities = PollRequest(entity: .orders).entities
        _ = try backstop.run(conn, now: Self.now) { _, _ in }
        #expect(sales.reads.map(\.list) == ["invoices", "orders"])
        #expect(sales.reads.last?.since == "2026-11-17 11:06:40")
    }

    @Test func aFullPollReadsFromSinceInsteadOfTheWatermarkAndNeverMovesTheWatermarkBack() throws {
        let conn = try FlowsDatabase.connection("scope_full")
        let sales = Self.sales()
        let watermarks = WatermarkStore()
        _ = try watermarks.advance(conn, tenant: "acme", entity: OrderBackstop.ordersWatermark, to: Self.now)
        _ = try watermarks.advance(conn, tenant: "acme", entity: OrderBackstop.invoicesWatermark, to: Self.now)
        let since = PollRequest.parseSince("2026-11-10")!
        let request = PollRequest(entity: .orders, mode: .full, since: since)
        var backstop = OrderBackstop(tenant: "acme", trigger: .invoiceCaptured, source: sales)
        backstop.entities = request.entities
        backstop.readFrom = request.readFrom(now: Self.now, lookbackDays: 30)
        _ = try backstop.run(conn, now: Self.now.addingTimeInterval(-60)) { _, _ in }
        #expect(sales.reads.map(\.list) == ["orders"])
        #expect(sales.reads.first?.since == "2026-11-10 00:00:00")
        #expect(try watermarks.watermark(conn, tenant: "acme", entity: OrderBackstop.ordersWatermark)?.value == Self.now)
    }

    @Test func pollRequestsDecideTheirListsAndStartingPoint() throws {
        let decode = { (json: String) in try JSONDecoder().decode(PollRequest.self, from: Data(json.utf8)) }
        // The schedule's payload (no entity) and the old one-entity payloads of before.
        #expect(try decode(#"{"mode":"incremental"}"#).entities == [.orders, .invoices])
        #expect(try decode(#"{"entity":"all"}"#).entities == [.orders, .invoices])
        #expect(try decode(#"{"entity":"orders","mode":"incremental"}"#).entities == [.orders])
        #expect(try decode(#"{"entity":"invoices"}"#).readFrom(now: Self.now, lookbackDays: 30) == nil)
        // Full: the whole window, or since — but never before the window's start.
        let full = try decode(#"{"entity":"invoices","mode":"full"}"#)
        #expect(full.readFrom(now: Self.now, lookbackDays: 30) == Self.now.addingTimeInterval(-30 * 86_400))
        let old = try decode(#"{"entity":"invoices","mode":"full","since":"2020-01-01T00:00:00Z"}"#)
        #expect(old.readFrom(now: Self.now, lookbackDays: 7) == Self.now.addingTimeInterval(-7 * 86_400))
        let recent = try decode(#"{"entity":"invoices","mode":"full","since":"2026-11-17T12:00:00+02:00"}"#)
        #expect(recent.readFrom(now: Self.now, lookbackDays: 7) == PollRequest.parseSince("2026-11-17T10:00:00Z"))

        #expect(PollRequest.parseSince("2026-11-01") == Date(timeIntervalSince1970: 1_793_491_200))
        #expect(PollRequest.parseSince("2026-11-01T08:00:00.250Z") != nil)
        for bad in ["2026-11-01T08:00:00", "01/11/2026", "2026-13-01", "", "yesterday"] {
            #expect(PollRequest.parseSince(bad) == nil, "\(bad)")
        }
    }
}
