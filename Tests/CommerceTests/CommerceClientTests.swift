import Commerce
import HTTPClient
import Foundation
import Testing
@testable import Simulators

@Suite struct CommerceClientTests {
    @Test func productUpsertByPutThenGetThenMissingIsNil() throws {
        let f = try SimFixture()
        let client = f.paasClient()
        let saved = try client.upsertProduct(CommerceProduct(
            sku: "GP-100/A", name: "Widget", price: Decimal(string: "25.99"), status: 1, visibility: 4, typeId: "simple",
            attributeSetId: 4, extensionAttributes: .init(stockItem: .init(qty: 10, isInStock: true))))
        #expect(saved.id != nil)
        #expect(saved.extensionAttributes?.stockItem?.qty == 10)
        let again = try client.upsertProduct(CommerceProduct(sku: "GP-100/A", price: 30))
        #expect(again.id == saved.id)
        #expect(again.name == "Widget")
        let read = try #require(try client.product(sku: "GP-100/A"))
        #expect(read.price == 30)
        #expect(read.extensionAttributes?.websiteIds == [1])
        #expect(try client.product(sku: "NOPE") == nil)
    }

    @Test func customersAreFoundByEmailAndDuplicatesAreRejectedWithAFilledMessage() throws {
        let f = try SimFixture()
        let client = f.paasClient()
        let created = try client.createCustomer(CommerceCustomer(
            email: "Ann@Example.com", firstname: "Ann", lastname: "Lee", websiteId: 1,
            customAttributes: [CommerceCustomAttribute("erp_id", "AARONFIT0001")]))
        let id = try #require(created.id)
        let found = try #require(try client.customer(email: "ann@example.com", websiteId: 1))
        #expect(found.id == id)
        #expect(found.customAttributes?[code: "erp_id"] == "AARONFIT0001")
        #expect(throws: CommerceError.rejected(status: 400, message: "A customer with the same email address already exists in an associated website.")) {
            try client.createCustomer(CommerceCustomer(email: "ann@example.com", firstname: "A", lastname: "B", websiteId: 1))
        }
        var change = found
        change.lastname = "Lee-Smith"
        #expect(try client.updateCustomer(id: id, change).lastname == "Lee-Smith")
        #expect(try client.customer(id: 999) == nil)
        let missing = try f.raw("GET", "/rest/default/V1/customers/999", headers: [("Authorization", "Bearer x")])
        #expect(missing.status == 401)
    }

    @Test func pagingStopsAtTotalCountAlthoughPagesPastTheEndRepeatTheLastOne() throws {
        let f = try SimFixture()
        for i in 1...7 { _ = f.sim.placeOrder(email: "o\(i)@example.com", lines: [.init(sku: "S\(i)", qty: 1, price: 5)]) }
        let client = f.paasClient(pageSize: 3)
        var pages: [[String]] = []
        let seen = try client.ordersUpdated(since: "2000-01-01 00:00:00") { orders in
            pages.append(orders.map(\.incrementId)); return true
        }
        #expect(seen == 7)
        #expect(pages.map(\.count) == [3, 3, 1])
        // The clamp itself: page 9 of 3 answers page 3 again, never an empty list.
        let past = try client.searchOrders(SearchCriteria().sorted(by: "entity_id").page(9, size: 3))
        #expect(past.totalCount == 7)
        #expect(past.items.map(\.incrementId) == ["000000007"])
        let byIncrement = try #require(try client.order(incrementId: "000000004"))
        #expect(byIncrement.customerEmail == "o4@example.com")
        #expect(try client.order(id: byIncrement.entityId)?.incrementId == "000000004")
    }

    @Test func ordersAndInvoicesCarryMagentoShapes() throws {
        let f = try SimFixture()
        let placed = f.sim.placeOrder(email: "c@example.com", lines: [
            .init(sku: "TEE-S", qty: 2, price: 12.5, parentSku: "TEE"), .init(sku: "MUG", qty: 1, price: 8),
        ], shipping: 5, tax: 1.5)
        let entityId = try #require(placed.order?["entity_id"] as? Int)
        let (invoice, _) = f.sim.invoiceOrder(entityId: entityId)
        let invoiceId = try #require(invoice?["entity_id"] as? Int)
        let client = f.paasClient()
        let order = try #require(try client.order(id: entityId))
        #expect(order.items.count == 3)
        #expect(order.items[1].parentItemId == order.items[0].itemId)
        #expect(order.grandTotal == Decimal(string: "39.5"))
        let read = try #require(try client.invoice(id: invoiceId))
        #expect(read.orderId == entityId)
        #expect(read.state == 2)
        var invoices: [CommerceInvoice] = []
        _ = try client.invoicesUpdated(since: "2000-01-01 00:00:00") { invoices += $0; return true }
        #expect(invoices.map(\.entityId) == [invoiceId])
    }

    @Test func bulkUpsertWaitsForTheConsumer() throws {
        let f = try SimFixture(CommerceSimulatorConfig(bulkConsumerRunning: false))
        let client = f.paasClient()
        let accepted = try client.bulkUpsertProducts([
            CommerceProduct(sku: "B1", name: "One", price: 1), CommerceProduct(sku: "B2", price: 2),
        ])
        #expect(accepted.requestItems.map(\.status) == ["accepted", "accepted"])
        #expect(!accepted.errors)
        Thread.sleep(forTimeInterval: 0.1)
        let paused = try client.bulkStatus(uuid: accepted.bulkUuid)
        #expect(paused.operationsList.map(\.status) == [4, 4])
        #expect(!paused.isFinished)
        f.sim.bulkConsumerRunning = true
        var status = paused
        for _ in 0..<200 where !status.isFinished {
            Thread.sleep(forTimeInterval: 0.02)
            status = try client.bulkStatus(uuid: accepted.bulkUuid)
        }
        // B2 is new and has no name: Magento's save refuses it; the operation fails, B1 succeeds.
        #expect(status.operationsList.map(\.status) == [1, 3])
        #expect(try client.product(sku: "B1")?.name == "One")
        #expect(try client.product(sku: "B2") == nil)
    }

    @Test func rateLimitHonoursRetryAfterInlineOnlyWhenShort() throws {
        let f = try SimFixture(CommerceSimulatorConfig(retryAfterSeconds: 1))
        let client = f.paasClient()
        f.sim.injectRateLimit(count: 1)
        #expect(try client.product(sku: "X") == nil)  // one 429, waited 1 s, retried
        f.sim.injectRateLimit(count: 1, retryAfterSeconds: 30)
        #expect(throws: CommerceError.rateLimited(retryAfter: 30)) { try client.product(sku: "X") }
        let stats = f.sim.stats
        #expect(stats["rate_limited"] == 2)
    }

    @Test func pingReportsLatencyAndAPlainError() throws {
        let f = try SimFixture()
        f.sim.setLatency(milliseconds: 50)
        let ok = f.paasClient().ping()
        #expect(ok.ok && ok.latencyMs >= 50)
        var wrong = SimFixture.oauthCredentials
        wrong.accessTokenSecret = "0123456789abcdef0123456789abcdef"
        let bad = CommerceClient(tenant: "t1", settings: CommerceSettings(baseURL: f.sim.baseURL, auth: .oauth1(wrong)),
                                 transport: CommerceHTTPClientTransport(proxy: .direct), tokenCache: f.cache).ping()
        #expect(!bad.ok)
        #expect(bad.error == .unauthorized(message: "The signature is invalid. Verify and try again."))
        let down = CommerceClient(tenant: "t1", settings: CommerceSettings(baseURL: "http://127.0.0.1:1", auth: .oauth1(wrong)),
                                  transport: CommerceHTTPClientTransport(proxy: .direct), tokenCache: f.cache).ping()
        #expect(down.error?.code == "commerce_unreachable")
    }
}
