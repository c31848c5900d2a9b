import API
import Connector
import Foundation
import Postgres
import Testing

/// `POST /v1/webhooks/commerce/{tenant}` on the control plane: signed with the `openssl` CLI,
/// stored with its job in one transaction, answered within the budget even when the database stalls.
@Suite(.serialized) struct WebhookAPITests {
    static let signer = WebhookSigner.shared

    static func harness(_ label: String, budget: Duration = .milliseconds(300),
                        trigger: PostingTrigger = .orderPlaced) throws -> APIHarness {
        let h = try APIHarness(label, poolSize: 8) {
            $0.postingTrigger = { _ in trigger }
            $0.webhookBudget = budget
        }
        let fixtureKey = Fixtures.publicKey2048.replacingOccurrences(of: "\n", with: "\\n")
        let json = Fixtures.tenantJSON().replacingOccurrences(of: fixtureKey, with: signer.publicKeyJSON)
        #expect(try h.admin("POST", "/v1/tenants", json: json).status == 201)
        return h
    }

    static func placed(_ increment: String) -> String {
        #"{"eventName":"observer.sales_order_place_after","data":{"order":{"increment_id":"\#(increment)","entity_id":7}}}"#
    }

    func post(_ h: APIHarness, _ body: String, tenant: String = "contoso", signature: String? = nil, sign: Bool = true) throws -> HTTPTestClient.Answer {
        var headers = ["Content-Type": "application/json"]
        if let signature { headers["x-adobe-commerce-webhook-signature"] = signature }
        else if sign { headers["x-adobe-commerce-webhook-signature"] = try Self.signer.sign(body) }
        return try h.send("POST", "/v1/webhooks/commerce/\(tenant)", headers: headers, rawBody: Array(body.utf8))
    }

    @Test func aSignedOrderHookIsStoredWithOnePostingJobAndAnsweredSuccess() throws {
        let h = try Self.harness("hookok")
        defer { h.stop() }
        let body = Self.placed("000000100")
        let a = try post(h, body)
        #expect(a.status == 200)
        #expect(a.text == #"{"op":"success"}"#)
        let conn = try h.connection()
        let job = try conn.query("SELECT kind, dedup_key, payload::text AS p FROM jobs", [])
        #expect(job.count == 1)
        #expect(try job.first?.decode("kind", as: String.self) == "post_order")
        #expect(try job.first?.decode("dedup_key", as: String.self) == "order:contoso:000000100")
        let payloadText = try #require(try job.first?.decode("p", as: String.self))
        let payload = try JSONSerialization.jsonObject(with: Data(payloadText.utf8)) as? [String: Any]
        #expect(payload?["incrementId"] as? String == "000000100")
        #expect(payload?["arrivedVia"] as? String == "webhook")
        let delivery = try conn.query("SELECT body, signature_ok, record_id FROM webhook_deliveries", [])
        #expect(delivery.count == 1)
        #expect(try delivery.first?.decode("body", as: [UInt8].self) == Array(body.utf8))
        #expect(try delivery.first?.decode("record_id", as: Int64?.self) != nil)
        let records = try h.admin("GET", "/v1/tenants/contoso/records?entity=order").object["records"] as? [[String: Any]] ?? []
        #expect(records.first?["arrived_via"] as? String == "webhook")
        #expect(h.plane.renderedMetrics().contains("mlc_webhooks_accepted_total 1"))
    }

    @Test func theSameOrderSentAHundredTimesYieldsOneJob() throws {
        let h = try Self.harness("hookdup")
        defer { h.stop() }
        let body = Self.placed("000000200")
        let signature = try Self.signer.sign(body)
        for _ in 0..<100 {
            #expect(try post(h, body, signature: signature).status == 200)
        }
        #expect(try h.count("SELECT count(*) FROM jobs") == 1)
        #expect(try h.count("SELECT count(*) FROM records") == 1)
        #expect(try h.count("SELECT count(*) FROM webhook_deliveries") == 100)
    }

    @Test func duplicatesSentConcurrentlyFromManyConnectionsStillYieldOneJob() throws {
        let h = try Self.harness("hookrace")
        defer { h.stop() }
        let body = Self.placed("000000250")
        let signature = try Self.signer.sign(body)
        let statuses = Statuses()
        let threads = (0..<10).map { _ in
            Thread { for _ in 0..<5 { statuses.add((try? post(h, body, signature: signature))?.status ?? -1) } }
        }
        threads.forEach { $0.start() }
        while statuses.count < 50 { Thread.sleep(forTimeInterval: 0.01) }
        #expect(statuses.all.allSatisfy { $0 == 200 })
        // Hooks past the budget commit a little later; wait for all 50 deliveries.
        for _ in 0..<200 where try h.count("SELECT count(*) FROM webhook_deliveries") < 50 { Thread.sleep(forTimeInterval: 0.05) }
        #expect(try h.count("SELECT count(*) FROM webhook_deliveries") == 50)
        #expect(try h.count("SELECT count(*) FROM jobs") == 1)
        #expect(try h.count("SELECT count(*) FROM records") == 1)
    }

    final class Statuses: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int] = []
        func add(_ v: Int) { lock.withLock { values.append(v) } }
        var count: Int { lock.withLock { values.count } }
        var all: [Int] { lock.withLock { values } }
    }

    @Test func aPaidInvoiceHookPostsTheOrderWhenTheTenantPostsOnInvoices() throws {
        let h = try Self.harness("hookinvoice", trigger: .invoiceCaptured)
        defer { h.stop() }
        #expect(try post(h, Self.placed("000000300")).status == 200)
        #expect(try h.count("SELECT count(*) FROM jobs") == 0)
        let invoice = #"{"eventName":"sales_order_invoice_pay","data":{"invoice":{"increment_id":"INV-9","entity_id":9,"order_increment_id":"000000300","state":2}}}"#
        #expect(try post(h, invoice).status == 200)
        let rows = try h.connection().query("SELECT kind, dedup_key, payload->>'event' AS e, payload->>'invoiceId' AS i FROM jobs", [])
        #expect(rows.count == 1)
        #expect(try rows.first?.decode("kind", as: String.self) == "post_invoice")
        #expect(try rows.first?.decode("dedup_key", as: String.self) == "order:contoso:000000300")
        #expect(try rows.first?.decode("e", as: String.self) == "invoice_captured")
        #expect(try rows.first?.decode("i", as: String.self) == "9")
        #expect(try h.count("SELECT count(*) FROM webhook_deliveries") == 2)
    }

    @Test func aPaidInvoiceNamingItsOrderByEntityIdOnlyGetsOneResolveJobAndNoRecord() throws {
        let h = try Self.harness("hookhint", trigger: .invoiceCaptured)
        defer { h.stop() }
        // What Commerce's invoice rows carry: the order's entity id, not its increment id.
        let invoice = #"{"eventName":"sales_order_invoice_pay","data":{"invoice":{"increment_id":"INV-77","entity_id":77,"order_id":412,"state":2}}}"#
        for _ in 0..<3 { #expect(try post(h, invoice).status == 200) }
        let rows = try h.connection().query(
            "SELECT kind, dedup_key, uses_gp, payload->>'order_id' AS o, payload->>'invoice_id' AS i FROM jobs", [])
        #expect(rows.count == 1)
        #expect(try rows.first?.decode("kind", as: String.self) == "resolve_invoice")
        #expect(try rows.first?.decode("dedup_key", as: String.self) == "invoice:contoso:INV-77")
        #expect(try rows.first?.decode("uses_gp", as: Bool.self) == false)
        #expect(try rows.first?.decode("o", as: String.self) == "412")
        #expect(try rows.first?.decode("i", as: String.self) == "77")
        #expect(try h.count("SELECT count(*) FROM records") == 0)
        #expect(try h.count("SELECT count(*) FROM webhook_deliveries WHERE dedup_key = 'invoice:contoso:INV-77'") == 3)
        // An unpaid invoice still only leaves its delivery.
        let unpaid = #"{"eventName":"sales_order_invoice_save_after","data":{"invoice":{"increment_id":"INV-78","entity_id":78,"order_id":413,"state":1}}}"#
        #expect(try post(h, unpaid).status == 200)
        #expect(try h.count("SELECT count(*) FROM jobs") == 1)
        #expect(try h.count("SELECT count(*) FROM webhook_deliveries WHERE dedup_key IS NULL") == 1)
    }

    @Test func aMissingOrBadSignatureIs401AndStoresNothing() throws {
        let h = try Self.harness("hook401")
        defer { h.stop() }
        let body = Self.placed("000000400")
        let good = try Self.signer.sign(body)
        var flipped = Array(Data(base64Encoded: good)!)
        flipped[10] ^= 0x01
        for signature in [nil, "not base64!", Data(flipped).base64EncodedString(), try Self.signer.sign(body + " ")] {
            let a = try post(h, body, signature: signature, sign: false)
            #expect(a.status == 401, "\(String(describing: signature))")
            #expect(a.errorCode?.hasPrefix("webhook_signature") == true)
        }
        // A bearer token does not replace the signature.
        let bearer = try h.send("POST", "/v1/webhooks/commerce/contoso", token: h.adminToken, json: body)
        #expect(bearer.status == 401)
        for table in ["jobs", "records", "webhook_deliveries"] {
            #expect(try h.count("SELECT count(*) FROM \(table)") == 0, "\(table)")
        }
    }

    @Test func anUnknownEventIsAcknowledgedAndIgnoredAndAnUnknownTenantIsABare404() throws {
        let h = try Self.harness("hookunknown")
        defer { h.stop() }
        let unknown = #"{"eventName":"observer.customer_login","data":{"customer":{"id":1}}}"#
        let a = try post(h, unknown)
        #expect(a.status == 200)
        #expect(a.text == #"{"op":"success"}"#)
        #expect(try h.count("SELECT count(*) FROM jobs") == 0)
        for tenant in ["nobody", "Not_A_Slug"] {
            let missing = try post(h, Self.placed("1"), tenant: tenant)
            #expect(missing.status == 404)
            #expect(missing.errorCode == "tenant_not_found")
            #expect(missing.errorDetails.isEmpty)
        }
        #expect(h.plane.renderedMetrics().contains("mlc_webhooks_ignored_total 1"))
    }

    @Test func aNewKeyStoredByPatchTakesEffectAtOnce() throws {
        let h = try Self.harness("hookpatch")
        defer { h.stop() }
        #expect(try post(h, Self.placed("000000500")).status == 200)
        let fixtureKey = Fixtures.publicKey2048.replacingOccurrences(of: "\n", with: "\\n")
        #expect(try h.admin("PATCH", "/v1/tenants/contoso", json: #"{"commerce":{"webhook_public_key":"\#(fixtureKey)"}}"#).status == 200)
        #expect(try post(h, Self.placed("000000501")).status == 401)
        #expect(try h.admin("DELETE", "/v1/tenants/contoso").status == 204)
        #expect(try post(h, Self.placed("000000502")).status == 404)
    }

    @Test func aStalledDatabaseStillGetsSuccessWithinTheBudgetAndTheHookIsStoredAfterwards() throws {
        let h = try Self.harness("hookslow", budget: .milliseconds(200))
        defer { h.stop() }
        let blocker = try h.connection()
        try blocker.execute("BEGIN", [])
        try blocker.execute("LOCK TABLE webhook_deliveries IN ACCESS EXCLUSIVE MODE", [])
        let a = try post(h, Self.placed("000000600"))
        #expect(a.status == 200)
        #expect(a.text == #"{"op":"success"}"#)
        #expect(h.plane.renderedMetrics().contains("mlc_webhooks_budget_exceeded_total 1"))
        #expect(try h.count("SELECT count(*) FROM jobs") == 0)
        try blocker.execute("COMMIT", [])
        // The transaction the hook started commits once the lock is gone: job and delivery together.
        var stored = 0
        for _ in 0..<100 where stored == 0 {
            stored = try h.count("SELECT count(*) FROM jobs")
            if stored == 0 { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(stored == 1)
        #expect(try h.count("SELECT count(*) FROM webhook_deliveries") == 1)
    }

    @Test func aBodyOverOneMebibyteIs413() throws {
        let h = try Self.harness("hook413")
        defer { h.stop() }
        let big = #"{"eventName":"x","pad":""# + String(repeating: "a", count: 1 << 20) + #""}"#
        let a = try h.send("POST", "/v1/webhooks/commerce/contoso", headers: ["Content-Type": "application/json", "x-adobe-commerce-webhook-signature": "AAAA"],
                           rawBody: Array(big.utf8))
        #expect(a.status == 413)
    }
}
