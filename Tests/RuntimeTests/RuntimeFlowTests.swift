import Commerce
import Connector
import Foundation
import TestSupport
import GP
import HTTPServer
import Postgres
import Queue
import Simulators
import Testing

/// The connector running as `serve`/`worker` run it: the worker pool with the connector's job
/// kinds, the tenant-sync thread and the scheduler, against both simulators and real PostgreSQL.
@Suite(.serialized) struct RuntimeFlowTests {
    static func runtime(_ world: RuntimeWorld) -> ConnectorRuntime {
        ConnectorRuntime(conninfo: world.conninfo, tenants: world.tenants, workers: 2, configure: {
            $0.pollInterval = 0.1
            $0.maintenanceInterval = 0.2
        }, tenantSyncInterval: 0.5)
    }

    static func customer(_ id: String, email: String, hold: Bool = false) -> [String: JSONValue] {
        ["CustomerId": .string(id), "Name": .string("Customer \(id)"), "IsOnHold": .bool(hold), "IsActive": .bool(true),
         "Email": .string(email), "ModifiedDate": .string("2026-11-20")]
    }

    @Test func syncItemsRunThroughTheWorkerPoolPutsEveryItemInCommerce() async throws {
        let world = try RuntimeWorld("runtime_items", seed: GPSimulatorSeed(
            functionalCurrency: "USD", generate: GPSimGenerate(items: 40, priceLevel: "RETAIL", sites: ["MAIN", "EAST"])))
        let (state, products, limit) = try await onThread { () -> (String?, Int?, Int) in
            try world.register()
            let runtime = Self.runtime(world)
            try runtime.start()
            defer { runtime.shutdown(grace: 5) }
            let conn = try Connection(world.conninfo)
            _ = try runtime.queue.enqueue(conn, kind: ConnectorJobs.syncItems, tenant: world.tenantID, payload: #"{"mode":"full"}"#)
            _ = try world.waitFor(60) { try world.jobStates(conn, kind: ConnectorJobs.syncItems) == ["completed"] }
            let limit: Int = try conn.query("SELECT max_parallel FROM queue_tenant_limits WHERE tenant_id = $1", world.tenantID)[0]
                .decode("max_parallel")
            return (try world.jobStates(conn, kind: ConnectorJobs.syncItems).first, world.commerce.stats["products"], limit)
        }
        #expect(state == "completed")
        #expect(products == 40)
        // The tenant's gp.max_parallel_calls became its GP slot limit in the queue.
        #expect(limit == 2)
    }

    @Test func anOrderAnnouncedTwicePostsExactlyOneMatchingInvoiceInGP() async throws {
        let world = try RuntimeWorld("runtime_orders", seed: GPSimulatorSeed(
            functionalCurrency: "USD", customers: [Self.customer("AARONFIT0001", email: "aaron@example.com")]))
        let (record, documents, grandTotal, customerJob) = try await onThread { () -> (SyncRecord?, [GPSimDocument], Double, [String]) in
            try world.register()
            let runtime = Self.runtime(world)
            try runtime.start()
            defer { runtime.shutdown(grace: 5) }
            let conn = try Connection(world.conninfo)
            _ = try runtime.queue.enqueue(conn, kind: ConnectorJobs.syncCustomers, tenant: world.tenantID, payload: #"{"mode":"full"}"#)
            _ = try world.waitFor(60) { try world.jobStates(conn, kind: ConnectorJobs.syncCustomers) == ["completed"] }

            let placed = world.commerce.placeOrder(email: "aaron@example.com", lines: [
                CommerceSimOrderLine(sku: "W-1", qty: 3, price: 19.99), CommerceSimOrderLine(sku: "W-2", qty: 1, price: 7.25),
            ], shipping: 4.5, tax: 5.33, discount: 2)
            let order = try #require(placed.order)
            _ = world.commerce.invoiceOrder(entityId: try #require(order["entity_id"] as? Int))
            let increment = try #require(order["increment_id"] as? String)
            // The same invoice event twice (a webhook retried by Commerce): one job, one document.
            for _ in 0..<2 {
                try conn.transaction { tx in
                    let request = OrderPostingRun.Request(incrementId: increment, event: .invoiceCaptured, arrivedVia: .webhook)
                    if case .enqueue(let key, let payload) = try OrderIntake().receive(tx, tenant: world.tenantID, trigger: .invoiceCaptured, request) {
                        _ = try runtime.queue.enqueue(tx, EnqueueRequest(kind: ConnectorJobs.postInvoice, tenantID: world.tenantID,
                                                                         payload: payload, dedupKey: key))
                    }
                }
            }
            let key = RecordKey(tenant: world.tenantID, entity: .order, sourceKey: increment)
            _ = try world.waitFor(60) { try RecordStore().record(conn, key)?.status == .posted }
            // Give a second job (if one had slipped through) time to post a second document.
            Thread.sleep(forTimeInterval: 0.5)
            let record = try RecordStore().record(conn, key)
            let trail = try RecordStore().auditTrail(conn, recordID: try #require(record?.id))
            #expect(trail.contains { $0.kind == .call && $0.code == "gp" && $0.method == "POST" })
            #expect(!trail.contains { $0.requestBody?.contains(RuntimeWorld.gpPassword) == true })
            return (record, world.gp.store.documents, try #require(order["grand_total"] as? Double),
                    try world.jobStates(conn, kind: ConnectorJobs.syncCustomers))
        }
        #expect(customerJob == ["completed"])
        #expect(record?.status == .posted)
        #expect(documents.count == 1)
        let document = try #require(documents.first)
        #expect(document.customerId == "AARONFIT0001")
        #expect(document.documentAmount == Decimal(string: String(format: "%.2f", grandTotal)))
        #expect(document.documentAmount == Decimal(string: "75.05"))  // 3 × 19.99 + 7.25 + 4.50 + 5.33 − 2.00
        #expect(document.freightAmount == Decimal(string: "4.5") && document.taxAmount == Decimal(string: "5.33"))
    }

    @Test func anInvoiceHintNamingTheOrderByEntityIdPostsTheOrderOnceAndAnUnknownOrderRetries() async throws {
        let world = try RuntimeWorld("runtime_hint", seed: GPSimulatorSeed(
            functionalCurrency: "USD", customers: [Self.customer("AARONFIT0001", email: "aaron@example.com")]))
        let (record, documents, unknownJob) = try await onThread { () -> (SyncRecord?, [GPSimDocument], (String, String?)) in
            try world.register()
            // The guest order posts to the tenant's guest customer.
            world.tenant = try world.tenants.patch(world.tenant.id, with: try DocumentValue.parse(
                Array(#"{"posting":{"guest_customer_id":"AARONFIT0001"}}"#.utf8)))
            let runtime = Self.runtime(world)
            try runtime.start()
            defer { runtime.shutdown(grace: 5) }
            let conn = try Connection(world.conninfo)
            let placed = world.commerce.placeOrder(email: "guest@example.com", lines: [CommerceSimOrderLine(sku: "W-1", qty: 2, price: 10)],
                                                   shipping: 5, tax: 1.5, discount: 0)
            let order = try #require(placed.order)
            let orderId = try #require(order["entity_id"] as? Int)
            let invoice = try #require(world.commerce.invoiceOrder(entityId: orderId).invoice)
            let hint = InvoiceHint(orderId: orderId, invoiceId: invoice["entity_id"] as? Int,
                                   invoiceIncrementId: try #require(invoice["increment_id"] as? String))
            // Announced twice (Commerce retried its hook): one resolve job, one GP document.
            for _ in 0..<2 {
                _ = try runtime.queue.enqueue(conn, kind: ConnectorJobs.resolveInvoice, tenant: world.tenantID,
                                              payload: hint.payload, dedupKey: hint.dedupKey(tenant: world.tenantID))
            }
            let unknown = InvoiceHint(orderId: 999_999, invoiceId: 1, invoiceIncrementId: "NO-SUCH-ORDER")
            _ = try runtime.queue.enqueue(conn, kind: ConnectorJobs.resolveInvoice, tenant: world.tenantID,
                                          payload: unknown.payload, dedupKey: unknown.dedupKey(tenant: world.tenantID))
            let key = RecordKey(tenant: world.tenantID, entity: .order, sourceKey: try #require(order["increment_id"] as? String))
            _ = try world.waitFor(60) { try RecordStore().record(conn, key)?.status == .posted }
            _ = try world.waitFor(30) {
                try conn.query("SELECT 1 FROM jobs WHERE dedup_key = $1 AND state = 'retryable'", unknown.dedupKey(tenant: world.tenantID)).count == 1
            }
            Thread.sleep(forTimeInterval: 0.5)
            let row = try conn.query("SELECT state::text AS s, last_error AS e FROM jobs WHERE dedup_key = $1",
                                     unknown.dedupKey(tenant: world.tenantID))[0]
            return (try RecordStore().record(conn, key), world.gp.store.documents, (try row.decode("s"), try row.decode("e")))
        }
        #expect(record?.status == .posted)
        #expect(record?.arrivedVia == .webhook)
        #expect(documents.count == 1)
        #expect(documents.first?.documentAmount == Decimal(string: "26.5"))
        // An order Commerce does not show retries later (bounded by the kind's attempts), never parks a record.
        #expect(unknownJob.0 == "retryable")
        #expect(unknownJob.1?.contains("no order 999999") == true)
    }

    @Test func theScheduledBackstopPostsAnOrderWhoseWebhookNeverCame() async throws {
        let world = try RuntimeWorld("runtime_backstop", seed: GPSimulatorSeed(
            functionalCurrency: "USD", customers: [Self.customer("BETTYBUY0001", email: "betty@example.com")]))
        let (record, documents) = try await onThread { () -> (SyncRecord?, [GPSimDocument]) in
            try world.register()
            let conn = try Connection(world.conninfo)
            let runtime = Self.runtime(world)
            try runtime.start()
            defer { runtime.shutdown(grace: 5) }
            _ = try runtime.queue.enqueue(conn, kind: ConnectorJobs.syncCustomers, tenant: world.tenantID)
            _ = try world.waitFor(60) { try world.jobStates(conn, kind: ConnectorJobs.syncCustomers) == ["completed"] }
            // Placed and invoiced with no webhook configured: only the backstop can find it.
            let placed = world.commerce.placeOrder(email: "betty@example.com", lines: [CommerceSimOrderLine(sku: "W-9", qty: 2, price: 10)],
                                                   shipping: 5)
            let order = try #require(placed.order)
            _ = world.commerce.invoiceOrder(entityId: try #require(order["entity_id"] as? Int))
            // The poll reads `updated_at < now` at second precision (the next poll's overlap
            // re-reads the rest); let the clock pass the order's second so the first poll sees it.
            Thread.sleep(forTimeInterval: 1.1)
            // Turning the backstop on by PATCH creates its schedule, which fires at once.
            let patch = try DocumentValue.parse(Array(#"{"schedule":{"orders_backstop_every_s":60}}"#.utf8))
            _ = try world.tenants.patch(world.tenant.id, with: patch)
            runtime.tenantsChanged()
            let key = RecordKey(tenant: world.tenantID, entity: .order, sourceKey: try #require(order["increment_id"] as? String))
            _ = try world.waitFor(60) { try RecordStore().record(conn, key)?.status == .posted }
            return (try RecordStore().record(conn, key), world.gp.store.documents)
        }
        #expect(record?.status == .posted)
        #expect(record?.arrivedVia == .poll)
        #expect(documents.count == 1 && documents.first?.documentAmount == 25)
    }
}
