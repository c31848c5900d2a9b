import Commerce
import Connector
import Foundation
import TestSupport
import HTTPServer
import Postgres
import Simulators
import Testing

/// Updated orders and invoices from memory; remembers the windows it was asked for.
final class MemoryUpdatedSales: UpdatedSalesSource {
    var orders: [CommerceOrder] = []
    var invoices: [CommerceInvoice] = []
    private(set) var windows: [(String, String)] = []
    /// Orders the backstop looked up one by one (`order(id:)`).
    private(set) var lookups: [Int] = []

    func ordersUpdated(since: String, until: String, _ page: ([CommerceOrder]) throws -> Void) throws {
        windows.append((since, until))
        try page(orders)
    }

    func invoicesUpdated(since: String, until: String, _ page: ([CommerceInvoice]) throws -> Void) throws {
        try page(invoices)
    }

    func order(id: Int) throws -> CommerceOrder? {
        lookups.append(id)
        return (orders + extraOrders).first { $0.entityId == id }
    }

    /// Orders that exist but were not updated in the window (only reachable through `order(id:)`).
    var extraOrders: [CommerceOrder] = []
}

@Suite(.serialized) struct OrderBackstopTests {
    @Test func onlyTheTriggerEventIsEnqueuedAndRepeatsAreNotedOnce() throws {
        let conn = try FlowsDatabase.connection("intake")
        let intake = OrderIntake()
        let placed = try intake.receive(conn, tenant: "acme", trigger: .invoiceCaptured,
                                        .init(incrementId: "100", event: .orderPlaced, arrivedVia: .webhook))
        guard case .noted = placed else { Issue.record("\(placed)"); return }
        let captured = try intake.receive(conn, tenant: "acme", trigger: .invoiceCaptured,
                                          .init(incrementId: "100", event: .invoiceCaptured, arrivedVia: .webhook, invoiceId: 7))
        guard case .enqueue(let key, let payload) = captured else { Issue.record("\(captured)"); return }
        #expect(key == "order:acme:100")
        let request = try JSONDecoder().decode(OrderPostingRun.Request.self, from: Data(payload.utf8))
        #expect(request == .init(incrementId: "100", event: .invoiceCaptured, arrivedVia: .webhook, invoiceId: 7))

        let store = RecordStore()
        let record = try #require(try store.record(conn, RecordKey(tenant: "acme", entity: .order, sourceKey: "100")))
        _ = try store.transition(conn, id: record.id, to: .posted, targetKey: "WEB100")
        for _ in 0..<3 {
            let polled = try intake.receive(conn, tenant: "acme", trigger: .invoiceCaptured,
                                            .init(incrementId: "100", event: .invoiceCaptured, arrivedVia: .poll, invoiceId: 7))
            guard case .noted = polled else { Issue.record("posted order enqueued again"); return }
        }
        #expect(try store.auditTrail(conn, recordID: record.id).map(\.code) == ["event_noted", "event_noted"])
        #expect(try store.record(conn, id: record.id)?.arrivedVia == .both)
    }

    @Test func anInvoiceWhoseOrderWasNotInThePollIsResolvedByOneLookupOnly() throws {
        let conn = try FlowsDatabase.connection("backstop_lookup")
        let sales = MemoryUpdatedSales()
        let fixtures = MemorySales()
        fixtures.add("A", entityId: 1)
        fixtures.add("C", entityId: 3)
        sales.orders = [fixtures.orders["A"]!]
        sales.extraOrders = [fixtures.orders["C"]!]
        sales.invoices = fixtures.invoicesByOrder.values.flatMap { $0 }.sorted { $0.entityId < $1.entityId }
        var jobs: [String] = []
        let backstop = OrderBackstop(tenant: "acme", trigger: .invoiceCaptured, source: sales)
        _ = try backstop.run(conn, now: Date(timeIntervalSince1970: 1_795_000_000)) { key, _ in jobs.append(key) }
        #expect(jobs.sorted() == ["order:acme:A", "order:acme:C"])
        #expect(sales.lookups == [3])
    }

    @Test func theBackstopEnqueuesWhatWebhooksMissedAndCountsIt() throws {
        let conn = try FlowsDatabase.connection("backstop")
        let sales = MemoryUpdatedSales()
        let fixtures = MemorySales()
        fixtures.add("A", entityId: 1)
        fixtures.add("B", entityId: 2)
        sales.orders = [fixtures.orders["A"]!, fixtures.orders["B"]!]
        sales.invoices = fixtures.invoicesByOrder.values.flatMap { $0 }.sorted { $0.entityId < $1.entityId }
        _ = try OrderIntake().receive(conn, tenant: "acme", trigger: .invoiceCaptured,
                                      .init(incrementId: "A", event: .orderPlaced, arrivedVia: .webhook))
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        var jobs: [String] = []
        let backstop = OrderBackstop(tenant: "acme", trigger: .invoiceCaptured, source: sales)
        let summary = try backstop.run(conn, now: now) { key, _ in jobs.append(key) }
        #expect(summary.ordersSeen == 2 && summary.invoicesSeen == 2)
        #expect(summary.arrivedOnlyByPoll == 1)
        #expect(jobs == ["order:acme:A", "order:acme:B"])
        let store = RecordStore()
        #expect(try store.record(conn, RecordKey(tenant: "acme", entity: .order, sourceKey: "A"))?.arrivedVia == .both)
        #expect(try store.record(conn, RecordKey(tenant: "acme", entity: .order, sourceKey: "B"))?.arrivedVia == .poll)
        #expect(try store.countArrivedOnlyByPoll(conn, tenant: "acme", since: Date().addingTimeInterval(-60)) == 1)

        // Both invoices' orders were in the same poll: no order was fetched one by one.
        #expect(sales.lookups.isEmpty)

        _ = try backstop.run(conn, now: now.addingTimeInterval(300)) { _, _ in }
        // First run: a day back. Then from the watermark minus the 5-minute overlap.
        #expect(sales.windows.map(\.0) == ["2026-11-17 11:06:40", "2026-11-18 11:01:40"])
        #expect(sales.windows.map(\.1) == ["2026-11-18 11:06:40", "2026-11-18 11:11:40"])
    }

    @Test func aMissedWebhookIsCaughtAndPostedFromTheSimulators() async throws {
        func customer(_ id: String) -> [String: JSONValue] {
            ["CustomerId": .string(id), "Name": .string(id), "IsOnHold": .bool(false), "IsActive": .bool(true)]
        }
        let systems = try ConnectedSystems("backstop_sim", seed: GPSimulatorSeed(functionalCurrency: "USD", customers: [customer("GUEST")]))
        let (summary, outcomes, documents) = try await onThread {
            let conn = try Connection(systems.conninfo)
            let increments = try (0..<3).map { _ in try OrderPostingSimulatorTests.placeAndInvoice(systems.commerce, email: "g@example.com") }
            var payloads: [String] = []
            let backstop = OrderBackstop(tenant: "acme", trigger: .invoiceCaptured,
                                         source: CommerceUpdatedSalesSource(client: systems.commerceClient()))
            let summary = try backstop.run(conn, now: Date().addingTimeInterval(5)) { _, payload in payloads.append(payload) }
            let run = try OrderPostingSimulatorTests.postingRun(systems)
            let outcomes = try payloads.map { try run.run(conn, JSONDecoder().decode(OrderPostingRun.Request.self, from: Data($0.utf8))) }
            _ = increments
            return (summary, outcomes, systems.gp.store.documents)
        }
        #expect(summary.enqueued.count == 3 && summary.arrivedOnlyByPoll == 3)
        #expect(outcomes.allSatisfy { if case .posted = $0 { true } else { false } })
        #expect(documents.count == 3)
    }
}
