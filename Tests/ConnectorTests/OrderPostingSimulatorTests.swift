import Commerce
import Connector
import Foundation
import TestSupport
import GP
import HTTPServer
import Postgres
import Simulators
import Testing

/// Posting end to end: orders placed and invoiced in the Commerce simulator, read back over
/// HTTP, posted to the GP simulator over HTTP with its rules (unique numbers, holds, closed periods).
@Suite(.serialized) struct OrderPostingSimulatorTests {
    final class Systems: @unchecked Sendable {
        let connected: ConnectedSystems
        var gp: GPSimulator { connected.gp }
        var commerce: CommerceSimulator { connected.commerce }
        var conninfo: String { connected.conninfo }

        init() throws {
            func customer(_ id: String, hold: Bool = false) -> [String: JSONValue] {
                ["CustomerId": .string(id), "Name": .string("Customer \(id)"), "IsOnHold": .bool(hold), "IsActive": .bool(true)]
            }
            connected = try ConnectedSystems("posting_sim", seed: GPSimulatorSeed(
                functionalCurrency: "USD", customers: [customer("AARONFIT0001"), customer("HOLD0001", hold: true), customer("GUEST")]))
        }

        func run(tenant: String = "acme") throws -> OrderPostingRun {
            try OrderPostingSimulatorTests.postingRun(connected, tenant: tenant)
        }

        func placeAndInvoice(email: String) throws -> String {
            try OrderPostingSimulatorTests.placeAndInvoice(commerce, email: email)
        }

        func mapCustomer(_ conn: Connection, email: String, to gpId: String, tenant: String = "acme") throws {
            _ = try RecordStore().upsert(conn, RecordKey(tenant: tenant, entity: .customer, sourceKey: gpId), status: .synced,
                                         targetKey: "1", contentHash: "h", matchKey: email)
        }
    }

    static func postingRun(_ systems: ConnectedSystems, tenant: String = "acme") throws -> OrderPostingRun {
        var settings = PostingSettings()
        settings.functionalCurrency = "USD"
        settings.guestCustomerId = "GUEST"
        return OrderPostingRun(tenant: tenant, settings: settings, source: CommerceSalesSource(client: systems.commerceClient(tenant: tenant)),
                               poster: GPReceivablesPoster(client: try systems.gpClient(tenant: tenant)))
    }

    /// Places and invoices an order of 2 × 45 + 5 shipping + 5 tax = 100; returns its increment id.
    static func placeAndInvoice(_ commerce: CommerceSimulator, email: String) throws -> String {
        let placed = commerce.placeOrder(email: email, lines: [CommerceSimOrderLine(sku: "W-1", qty: 2, price: 45)],
                                         shipping: 5, tax: 5)
        let order = try #require(placed.order)
        _ = commerce.invoiceOrder(entityId: try #require(order["entity_id"] as? Int))
        return try #require(order["increment_id"] as? String)
    }

    @Test func anInvoicedOrderPostsOnceAndALostAnswerIsRecognised() async throws {
        let systems = try Systems()
        let (first, second, otherTenant, documents) = try await onThread {
            let conn = try Connection(systems.conninfo)
            let increment = try systems.placeAndInvoice(email: "buyer@example.com")
            try systems.mapCustomer(conn, email: "buyer@example.com", to: "AARONFIT0001")
            let request = OrderPostingRun.Request(incrementId: increment, event: .invoiceCaptured, arrivedVia: .webhook)
            let first = try systems.run().run(conn, request)
            let second = try systems.run().run(conn, request)
            // A tenant with no record of it (as after a crash between GP's answer and our write)
            // meets GP's duplicate rule and reads the document back.
            try systems.mapCustomer(conn, email: "buyer@example.com", to: "AARONFIT0001", tenant: "acme-replica")
            let other = try systems.run(tenant: "acme-replica").run(conn, OrderPostingRun.Request(
                incrementId: increment, event: .invoiceCaptured, arrivedVia: .poll))
            return (first, second, other, systems.gp.store.documents)
        }
        guard case .posted(let number) = first else { Issue.record("\(first)"); return }
        guard case .noted = second else { Issue.record("\(second)"); return }
        #expect(otherTenant == .alreadyPosted(documentNumber: number))
        #expect(documents.count == 1)
        let doc = try #require(documents.first)
        #expect(doc.documentNumber == number && doc.customerId == "AARONFIT0001")
        #expect(doc.documentAmount == 100 && doc.salesAmount == 90 && doc.freightAmount == 5 && doc.taxAmount == 5)
    }

    @Test func holdsAndClosedPeriodsParkWithGPsReason() async throws {
        let systems = try Systems()
        let (held, closed, reopened, documents) = try await onThread {
            let conn = try Connection(systems.conninfo)
            let heldOrder = try systems.placeAndInvoice(email: "held@example.com")
            try systems.mapCustomer(conn, email: "held@example.com", to: "HOLD0001")
            let held = try systems.run().run(conn, .init(incrementId: heldOrder, event: .invoiceCaptured, arrivedVia: .webhook))
            systems.gp.store.closePeriod(from: "2000-01-01", to: "2099-12-31")
            let guestOrder = try systems.placeAndInvoice(email: "guest@example.com")
            let request = OrderPostingRun.Request(incrementId: guestOrder, event: .invoiceCaptured, arrivedVia: .webhook)
            let closed = try systems.run().run(conn, request)
            systems.gp.store.reopenAllPeriods()
            let reopened = try systems.run().run(conn, request)
            return (held, closed, reopened, systems.gp.store.documents)
        }
        guard case .parked(let holdReason) = held else { Issue.record("\(held)"); return }
        #expect(holdReason.code == "customer_on_hold")
        guard case .parked(let periodReason) = closed else { Issue.record("\(closed)"); return }
        #expect(periodReason.code == "fiscal_period_closed")
        guard case .posted = reopened else { Issue.record("\(reopened)"); return }
        #expect(documents.map(\.customerId) == ["GUEST"])
    }

    @Test func theGPCallsOfAPostingGoToTheRecordsTrail() async throws {
        let systems = try Systems()
        let trail = try await onThread { () -> [AuditEvent] in
            let conn = try Connection(systems.conninfo)
            let increment = try systems.placeAndInvoice(email: "guest@example.com")
            let log = CallLog()
            let gp = GPClient(company: try GPCompany(url: systems.gp.companyURL(company: "Fabrikam, Inc.")), settings: GPSettings(),
                              transport: GPDirectTransport(auth: .basic(user: ConnectedSystems.user, password: ConnectedSystems.password)),
                              tenant: "acme", onCall: log.gpObserver)
            var settings = PostingSettings()
            settings.guestCustomerId = "GUEST"
            let run = OrderPostingRun(tenant: "acme", settings: settings,
                                      source: CommerceSalesSource(client: systems.connected.commerceClient()),
                                      poster: GPReceivablesPoster(client: gp), jobID: 42)
            _ = try run.run(conn, .init(incrementId: increment, event: .invoiceCaptured, arrivedVia: .webhook))
            let store = RecordStore()
            let record = try #require(try store.record(conn, RecordKey(tenant: "acme", entity: .order, sourceKey: increment)))
            try log.flush(conn, store: store, recordID: record.id, tenant: "acme", jobID: 42)
            #expect(log.collected.isEmpty)
            return try store.auditTrail(conn, recordID: record.id)
        }
        let call = try #require(trail.last)
        #expect(call.kind == .call && call.code == "gp" && call.method == "POST" && call.jobID == 42)
        #expect(call.url?.contains("Receivables") == true)
        #expect(call.status.map { (200..<300).contains($0) } == true)
        #expect(call.requestBody?.contains("DocumentNumber") == true)
        #expect(call.requestBody?.contains(ConnectedSystems.password) == false)
    }
}
