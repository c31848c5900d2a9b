import API
import Connector
import Foundation
import Logging
import Postgres
import Testing

/// The tenant's flow settings over the API: GET shows them with their defaults and the
/// poll-only count, PATCH merge-patches them, and the webhook receiver follows the tenant's own
/// posting trigger (no process-wide override).
@Suite(.serialized) struct TenantSettingsAPITests {
    static func harness(_ label: String) throws -> APIHarness {
        let h = try APIHarness(label, poolSize: 8)
        let fixtureKey = Fixtures.publicKey2048.replacingOccurrences(of: "\n", with: "\\n")
        let json = Fixtures.tenantJSON().replacingOccurrences(of: fixtureKey, with: WebhookSigner.shared.publicKeyJSON)
        #expect(try h.admin("POST", "/v1/tenants", json: json).status == 201)
        return h
    }

    @Test func getShowsEveryOptionWithItsDefaultAndPatchChangesOnlyWhatItNames() throws {
        let h = try Self.harness("optsget")
        defer { h.stop() }
        let answer = try h.admin("GET", "/v1/tenants/contoso")
        #expect(answer.status == 200, "\(answer.text)")
        let got = answer.object
        let posting = try #require(got["posting"] as? [String: Any])
        #expect(posting["trigger"] as? String == "invoice_captured")
        #expect(posting["guest_customer_id"] is NSNull)
        #expect(posting["backstop_full_lookback_days"] as? Int == 30)
        #expect((got["items"] as? [String: Any])?["website_ids"] as? [Int] == [1])
        #expect((got["customers"] as? [String: Any])?["on_hold"] as? String == "sync")
        let sba = try #require((got["gp"] as? [String: Any])?["sba"] as? [String: Any])
        #expect((sba["paths"] as? [String: Any])?["receivables_transactions"] as? String == "Sales/Receivables/Transactions")
        #expect(sba["envelope_key"] as? String == "Payload")

        let patched = try h.admin("PATCH", "/v1/tenants/contoso", json: """
            {"posting":{"trigger":"order_placed","guest_customer_id":"GUEST"},"items":{"visibility":2},
             "customers":{"group_by_class":{"WHOLESALE":2}},"gp":{"sba":{"page_size":100}}}
            """)
        #expect(patched.status == 200)
        let after = try h.admin("GET", "/v1/tenants/contoso").object
        #expect((after["posting"] as? [String: Any])?["trigger"] as? String == "order_placed")
        #expect((after["posting"] as? [String: Any])?["guest_customer_id"] as? String == "GUEST")
        #expect((after["items"] as? [String: Any])?["visibility"] as? Int == 2)
        #expect((after["items"] as? [String: Any])?["bulk_threshold"] as? Int == 50)
        #expect((after["customers"] as? [String: Any])?["group_by_class"] as? [String: Int] == ["WHOLESALE": 2])
        #expect(((after["gp"] as? [String: Any])?["sba"] as? [String: Any])?["page_size"] as? Int == 100)
        #expect((after["gp"] as? [String: Any])?["password_set"] as? Bool == true)

        let bad = try h.admin("PATCH", "/v1/tenants/contoso", json: #"{"posting":{"trigger":"shipped"},"items":{"visibility":9}}"#)
        #expect(bad.status == 400)
        let fields = ((bad.object["error"] as? [String: Any])?["details"] as? [String: Any])?["fields"] as? [[String: Any]] ?? []
        #expect(Set(fields.compactMap { $0["field"] as? String }) == ["posting.trigger", "items.visibility"])
        #expect((try h.admin("GET", "/v1/tenants/contoso").object["posting"] as? [String: Any])?["trigger"] as? String == "order_placed")
    }

    @Test func theTenantCountsOrdersThatArrivedOnlyByPollingInTheLastDay() throws {
        let h = try Self.harness("pollonly")
        defer { h.stop() }
        let conn = try h.connection()
        func record(_ tenant: String, _ entity: String, _ key: String, _ via: String, hoursAgo: Double) throws {
            _ = try conn.execute("""
                INSERT INTO records (tenant_id, entity, source_key, arrived_via, created_at)
                VALUES ($1, $2, $3, $4, now() - make_interval(secs => $5))
                """, tenant, entity, key, via, hoursAgo * 3600)
        }
        try record("contoso", "order", "100", "poll", hoursAgo: 1)
        try record("contoso", "order", "101", "poll", hoursAgo: 23)
        try record("contoso", "order", "102", "poll", hoursAgo: 25)     // older than the window
        try record("contoso", "order", "103", "both", hoursAgo: 1)      // the webhook came after all
        try record("contoso", "order", "104", "webhook", hoursAgo: 1)
        try record("contoso", "item", "W-1", "poll", hoursAgo: 1)       // items are always polled
        try record("fabrikam", "order", "100", "poll", hoursAgo: 1)     // another tenant
        let stats = try h.admin("GET", "/v1/tenants/contoso").object["stats"] as? [String: Any]
        #expect(stats?["orders_only_by_poll"] as? Int == 2)
        #expect(stats?["window_hours"] as? Int == 24)
        // A webhook for one of them turns it into "both": no longer a sign of a silent webhook.
        _ = try conn.execute("UPDATE records SET arrived_via = 'both' WHERE tenant_id = 'contoso' AND source_key = '100'")
        #expect((try h.admin("GET", "/v1/tenants/contoso").object["stats"] as? [String: Any])?["orders_only_by_poll"] as? Int == 1)
    }

    @Test func theWebhookReceiverPostsOnTheTenantsOwnTriggerAndSeesAPatchAtOnce() throws {
        let h = try Self.harness("hooktrigger")
        defer { h.stop() }
        func placed(_ increment: String) throws -> Int {
            let body = #"{"eventName":"observer.sales_order_place_after","data":{"order":{"increment_id":"\#(increment)","entity_id":7}}}"#
            let headers = ["Content-Type": "application/json",
                           "x-adobe-commerce-webhook-signature": try WebhookSigner.shared.sign(body)]
            return try h.send("POST", "/v1/webhooks/commerce/contoso", headers: headers, rawBody: Array(body.utf8)).status
        }
        // Default trigger invoice_captured: a placed order is only noted on its record.
        #expect(try placed("000000300") == 200)
        #expect(try h.count("SELECT count(*) FROM records") == 1)
        #expect(try h.count("SELECT count(*) FROM jobs") == 0)
        #expect(try h.admin("PATCH", "/v1/tenants/contoso", json: #"{"posting":{"trigger":"order_placed"}}"#).status == 200)
        #expect(try placed("000000301") == 200)
        #expect(try h.count("SELECT count(*) FROM jobs WHERE dedup_key = 'order:contoso:000000301'") == 1)
    }

    @Test func anOrdersSyncTakesAFullWindowOrASinceInsideItAndRefusesTheRest() throws {
        let h = try Self.harness("syncsince")
        defer { h.stop() }
        func sync(_ json: String) throws -> HTTPTestClient.Answer { try h.admin("POST", "/v1/tenants/contoso/syncs", json: json) }
        func field(_ a: HTTPTestClient.Answer) -> String? {
            ((a.object["error"] as? [String: Any])?["details"] as? [String: Any])?["field"] as? String
        }
        func fieldCode(_ a: HTTPTestClient.Answer) -> String? {
            ((((a.object["error"] as? [String: Any])?["details"] as? [String: Any])?["fields"] as? [[String: Any]])?.first)?["code"] as? String
        }
        let future = PollRequest.format(Date().addingTimeInterval(86_400))
        let tooOld = PollRequest.format(Date().addingTimeInterval(-40 * 86_400))
        for (body, code) in [
            (#"{"entity":"items","since":"2026-11-01"}"#, "not_supported"),
            (#"{"entity":"orders","since":"yesterday"}"#, "invalid_format"),
            (#"{"entity":"orders","since":"2026-11-01T08:00:00"}"#, "invalid_format"),   // no zone
            (#"{"entity":"orders","since":12}"#, "invalid_format"),
            (#"{"entity":"orders","mode":"incremental","since":"2026-11-01"}"#, "conflicts_with_mode"),
            (#"{"entity":"invoices","since":"\#(future)"}"#, "out_of_range"),
            (#"{"entity":"invoices","since":"\#(tooOld)"}"#, "out_of_range"),
        ] {
            let a = try sync(body)
            #expect(a.status == 400, "\(body)")
            #expect(a.errorCode == "validation_failed")
            #expect(field(a) == "since", "\(body)")
            #expect(fieldCode(a) == code, "\(body)")
        }
        #expect(try h.count("SELECT count(*) FROM jobs") == 0)

        let since = Date().addingTimeInterval(-3 * 86_400)
        let ok = try sync(#"{"entity":"invoices","since":"\#(PollRequest.format(since))"}"#)
        #expect(ok.status == 202)
        let payload = (ok.object["job"] as? [String: Any])?["payload"] as? [String: String]
        #expect(payload == ["entity": "invoices", "mode": "full", "since": PollRequest.format(since)])
        let full = try sync(#"{"entity":"orders","mode":"full"}"#)
        #expect((full.object["job"] as? [String: Any])?["payload"] as? [String: String] == ["entity": "orders", "mode": "full"])
        // The window is the tenant's: widen it and an older since is accepted.
        #expect(try h.admin("PATCH", "/v1/tenants/contoso", json: #"{"posting":{"backstop_full_lookback_days":60}}"#).status == 200)
        _ = try h.connection().execute("UPDATE jobs SET state = 'completed', finished_at = now()")
        #expect(try sync(#"{"entity":"invoices","since":"\#(tooOld)"}"#).status == 202)
    }

    @Test func aTriggerChangedByAnotherProcessReachesThisProcesssWebhooksByNotification() throws {
        let h = try Self.harness("hooknotify")
        defer { h.stop() }
        // A second control plane on the same database, as a second `serve` process would be.
        var config = ControlPlane.Configuration()
        config.tenantChangesConninfo = h.conninfo
        let pool = ConnectionPool(conninfo: h.conninfo, maxConnections: 4)
        let other = ControlPlane(pool: pool, keyring: h.keyring, logger: Logger(label: "mlc.test.other"), configuration: config)
        defer {
            other.shutdown()
            pool.close()
        }
        func placed(_ increment: String) throws -> Int {
            let body = #"{"eventName":"observer.sales_order_place_after","data":{"order":{"increment_id":"\#(increment)","entity_id":7}}}"#
            return other.webhooks.receive(tenant: "contoso", signature: try WebhookSigner.shared.sign(body), body: Array(body.utf8)).status
        }
        #expect(try placed("000000400") == 200)       // caches the tenant's invoice_captured trigger
        #expect(try h.count("SELECT count(*) FROM records") == 1)
        #expect(try h.count("SELECT count(*) FROM jobs") == 0)
        #expect(try h.admin("PATCH", "/v1/tenants/contoso", json: #"{"posting":{"trigger":"order_placed"}}"#).status == 200)
        // Well inside the cache's 60 s lifetime: only the notification can make the next hooks post.
        var posted = false
        for i in 0..<50 where !posted {
            _ = try placed("00000041\(i)")
            posted = try h.count("SELECT count(*) FROM jobs") > 0
            if !posted { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(posted)
    }
}
