import Commerce
import Crypto
import Foundation
import HTTPServer
import Testing
@testable import Simulators

/// A sink that behaves like the database's `INSERT … ON CONFLICT DO NOTHING` on the dedup key.
final class RecordingSink: WebhookSink, @unchecked Sendable {
    let lock = NSLock()
    var keys: [String] = []
    var bodies: [[UInt8]] = []
    var delay: Double = 0
    var failure: (any Error)?

    func accept(_ event: CommerceWebhookEvent, rawBody: [UInt8], tenant: String) throws {
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        if let failure { throw failure }
        lock.withLock {
            bodies.append(rawBody)
            if let key = event.dedupKey(tenant: tenant), !keys.contains(key) { keys.append(key) }
        }
    }

    var snapshot: (keys: [String], bodies: Int) { lock.withLock { (keys, bodies.count) } }
}

struct SinkDown: Error {}

/// The simulator's emitter → our HTTP server → `WebhookReceiver` → sink, over real sockets.
final class ReceiverFixture: @unchecked Sendable {
    let sim: CommerceSimulator
    let sink = RecordingSink()
    let receiver: WebhookReceiver
    let server: HTTPServer

    init(budget: Duration = .milliseconds(300), signed: Bool = true, tenant: String = "t1") throws {
        sim = try CommerceSimulator()
        try sim.start()
        let key = try RSAPublicKey(pem: sim.webhookPublicKeyPEM)
        receiver = WebhookReceiver(sink: sink, budget: budget) { $0 == "t1" ? key : nil }
        var router = Router()
        let receiver = self.receiver
        router.add(.POST, "/v1/webhooks/commerce/{tenant}") { request in
            let reply = receiver.receive(tenant: request.parameters["tenant"] ?? "",
                                         signature: request.headers[CommerceWebhookSignature.headerName], body: request.body)
            return Response(status: HTTPStatus(reply.status), headers: ["Content-Type": "application/json"], body: reply.body)
        }
        server = HTTPServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0), router: router)
        try server.start()
        sim.webhook = .init(url: "http://127.0.0.1:\(server.port)/v1/webhooks/commerce/\(tenant)", timeoutMs: 2000, signed: signed)
    }

    deinit {
        sim.stop()
        server.shutdown(timeout: .seconds(1))
        receiver.shutdown()
    }
}

@Suite struct WebhookReceiverTests {
    @Test func aPlacedOrderIsVerifiedStoredAndAcknowledged() throws {
        let f = try ReceiverFixture()
        let placed = f.sim.placeOrder(email: "a@example.com", lines: [.init(sku: "S", qty: 1, price: 9.5)])
        #expect(placed.placed)
        #expect(placed.webhook?["op"] as? String == "success")
        let increment = try #require(placed.order?["increment_id"] as? String)
        #expect(f.sink.snapshot.keys == ["order:t1:\(increment)"])
        #expect(f.receiver.counters.accepted == 1)
        // The raw body reaches the sink byte for byte (kept for audit).
        let raw = try #require(f.sink.lock.withLock { f.sink.bodies.first })
        let parsed = try JSONSerialization.jsonObject(with: Data(raw)) as? [String: Any]
        #expect(parsed?["eventName"] as? String == "sales_order_place_before")
    }

    @Test func theSameIncrementIdSentAHundredTimesYieldsOneKey() throws {
        let f = try ReceiverFixture()
        for _ in 0..<100 {
            #expect(f.sim.placeOrder(email: "b@example.com", lines: [.init(sku: "S", qty: 1, price: 1)],
                                     incrementId: "WEB-000777").placed)
        }
        #expect(f.sink.snapshot == (["order:t1:WEB-000777"], 100))
    }

    @Test func anInvoiceIsKeyedByItsOwnIncrementId() throws {
        let f = try ReceiverFixture()
        let placed = f.sim.placeOrder(email: "c@example.com", lines: [.init(sku: "S", qty: 1, price: 1)])
        let (invoice, hook) = f.sim.invoiceOrder(entityId: try #require(placed.order?["entity_id"] as? Int))
        #expect(hook?["status"] as? Int == 200)
        let increment = try #require(invoice?["increment_id"] as? String)
        #expect(f.sink.snapshot.keys.last == "invoice:t1:\(increment)")
    }

    @Test func anUnsignedHookIsRefusedAndARequiredHookAbortsTheCheckout() throws {
        let f = try ReceiverFixture(signed: false)
        let placed = f.sim.placeOrder(email: "d@example.com", lines: [.init(sku: "S", qty: 1, price: 1)])
        #expect(!placed.placed)
        #expect(placed.webhook?["status"] as? Int == 401)
        #expect(placed.errorMessage == CommerceSimulatorConfig.Webhook(url: "").fallbackErrorMessage)
        #expect(f.sink.snapshot.bodies == 0)
        #expect(f.receiver.counters.rejected == 1)
    }

    @Test func aSlowSinkStillAnswersSuccessWithinTheBudget() throws {
        let f = try ReceiverFixture(budget: .milliseconds(100))
        f.sink.delay = 1.0
        let placed = f.sim.placeOrder(email: "e@example.com", lines: [.init(sku: "S", qty: 1, price: 1)])
        #expect(placed.placed)
        #expect(placed.webhook?["op"] as? String == "success")
        #expect(f.receiver.counters.budgetExceeded == 1)
    }

    @Test func aFailingSinkIsCountedButNeverFailsTheCheckout() throws {
        let f = try ReceiverFixture()
        f.sink.failure = SinkDown()
        let placed = f.sim.placeOrder(email: "f@example.com", lines: [.init(sku: "S", qty: 1, price: 1)])
        #expect(placed.placed)
        #expect(f.receiver.counters.sinkFailed == 1)
    }

    @Test func unknownTenantsLimitsAndUnknownEventsAreAnsweredWithoutTheSink() throws {
        let signer = try RSASigner()
        let key = try RSAPublicKey(pem: signer.publicKeyPEM)
        let sink = RecordingSink()
        let receiver = WebhookReceiver(sink: sink, limits: .init(maxBodyBytes: 4096, maxJSONDepth: 8)) { $0 == "t1" ? key : nil }
        defer { receiver.shutdown() }
        func send(_ tenant: String, _ text: String) throws -> WebhookReceiver.Reply {
            let body = Array(text.utf8)
            return receiver.receive(tenant: tenant, signature: try signer.webhookSignature(body: body), body: body)
        }
        let order = #"{"eventName":"sales_order_place_before","data":{"order":{"increment_id":"1"}}}"#
        #expect(try send("nope", order).status == 404)
        #expect(try send("t1", String(repeating: " ", count: 5000) + order).status == 413)
        #expect(try send("t1", String(repeating: "[", count: 20) + String(repeating: "]", count: 20)).status == 400)
        let unknown = try send("t1", #"{"eventName":"customer_login","data":{}}"#)
        #expect(unknown.status == 200 && unknown.outcome == "ignored")
        #expect(String(decoding: unknown.body, as: UTF8.self) == #"{"op":"success"}"#)
        let bad = receiver.receive(tenant: "t1", signature: "AAAA", body: Array(order.utf8))
        #expect(bad.status == 401)
        #expect(String(decoding: bad.body, as: UTF8.self).contains(#""code":"webhook_signature_invalid""#))
        #expect(sink.snapshot.bodies == 0)
        #expect(try send("t1", order).outcome == "accepted")
    }
}
