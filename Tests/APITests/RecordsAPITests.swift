import API
import Connector
import Foundation
import Postgres
import Testing

/// `/v1/tenants/{tenant}/records`, `/v1/records/{id}` and its replay, over real sockets and PostgreSQL.
@Suite(.serialized) struct RecordsAPITests {
    /// Two tenants' records as the flows leave them, with an audit trail on the parked order.
    static func harness(_ label: String, trigger: PostingTrigger = .invoiceCaptured) throws -> (APIHarness, token: String, ids: [String: Int64]) {
        let h = try APIHarness(label) { $0.postingTrigger = { _ in trigger } }
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON()).status == 201)
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON(id: "fabrikam", name: "Fabrikam")).status == 201)
        let token = try #require(try h.admin("POST", "/v1/tenants/contoso/tokens", json: "{}").object["token"] as? String)
        let store = RecordStore(), conn = try h.connection()
        var ids: [String: Int64] = [:]
        func add(_ tenant: String, _ entity: RecordEntity, _ key: String, _ status: RecordStatus, error: RecordError? = nil,
                 via: ArrivalChannel? = nil, event: String? = nil) throws {
            ids["\(tenant)/\(key)"] = try store.upsert(conn, RecordKey(tenant: tenant, entity: entity, sourceKey: key), status: status,
                                                       arrivedVia: via, event: event, error: error).record.id
        }
        try add("contoso", .item, "WIDGET-1", .synced)
        try add("contoso", .item, "WIDGET-2", .failed, error: RecordError(code: "commerce_rejected", message: "Commerce refused the product."))
        try add("contoso", .customer, "AARONFIT0001", .skipped, error: RecordError(code: "no_email", message: "The GP customer has no e-mail."))
        try add("contoso", .order, "000000100", .needsAttention,
                error: RecordError(code: "fiscal_period_closed", message: "GP's fiscal period is closed.", fix: "Open the period in GP."),
                via: .webhook, event: "invoice_captured")
        try add("contoso", .order, "000000101", .posted, via: .both, event: "invoice_captured")
        try add("fabrikam", .item, "WIDGET-1", .synced)
        let order = try #require(ids["contoso/000000100"])
        try store.appendAudit(conn, recordID: order, tenant: "contoso", .call("gp", method: "POST", url: "https://gp.contoso.local/RMTransactions",
                                                                           status: 400, durationMs: 84, requestBody: #"{"password":"hunter2"}"#,
                                                                           responseBody: #"{"error":"closed period"}"#))
        try store.appendAudit(conn, recordID: order, tenant: "contoso", .decision("parked", "Parked: the fiscal period is closed."))
        return (h, token, ids)
    }

    @Test func recordsAreListedByEntityStatusAndTextWithCursorPages() throws {
        let (h, _, _) = try Self.harness("recordslist")
        defer { h.stop() }
        func keys(_ a: HTTPTestClient.Answer) -> [String] { (a.object["records"] as? [[String: Any]] ?? []).compactMap { $0["source_key"] as? String } }
        #expect(keys(try h.admin("GET", "/v1/tenants/contoso/records")) == ["000000101", "000000100", "AARONFIT0001", "WIDGET-2", "WIDGET-1"])
        #expect(keys(try h.admin("GET", "/v1/tenants/contoso/records?entity=item")) == ["WIDGET-2", "WIDGET-1"])
        #expect(keys(try h.admin("GET", "/v1/tenants/contoso/records?status=needs_attention")) == ["000000100"])
        #expect(keys(try h.admin("GET", "/v1/tenants/contoso/records?q=widget")) == ["WIDGET-2", "WIDGET-1"])
        #expect(keys(try h.admin("GET", "/v1/tenants/fabrikam/records")) == ["WIDGET-1"])
        let page1 = try h.admin("GET", "/v1/tenants/contoso/records?limit=2")
        let cursor = try #require(page1.object["next_cursor"] as? String)
        let page2 = try h.admin("GET", "/v1/tenants/contoso/records?limit=2&cursor=\(cursor)")
        #expect(keys(page1) + keys(page2) == ["000000101", "000000100", "AARONFIT0001", "WIDGET-2"])
        let parked = (try h.admin("GET", "/v1/tenants/contoso/records?status=needs_attention").object["records"] as? [[String: Any]])?.first
        #expect((parked?["last_error"] as? [String: Any])?["fix"] as? String == "Open the period in GP.")
        #expect(parked?["arrived_via"] as? String == "webhook")
        #expect(try h.admin("GET", "/v1/tenants/contoso/records?entity=product").errorCode == "invalid_query")
        #expect(try h.admin("GET", "/v1/tenants/nobody/records").status == 404)
    }

    @Test func oneRecordShowsItsFullAuditTrailAndATenantTokenCannotSeeAnotherTenantsRecord() throws {
        let (h, token, ids) = try Self.harness("recordone")
        defer { h.stop() }
        let order = try #require(ids["contoso/000000100"])
        let a = try h.send("GET", "/v1/records/\(order)", token: token)
        #expect(a.status == 200)
        let audit = a.object["audit"] as? [[String: Any]] ?? []
        #expect(audit.map { $0["kind"] as? String } == ["call", "decision"])
        #expect(audit.first?["status"] as? Int == 400)
        #expect(audit.first?["url"] as? String == "https://gp.contoso.local/RMTransactions")
        #expect(!a.text.contains("hunter2"))
        #expect(audit.last?["code"] as? String == "parked")
        let foreign = try #require(ids["fabrikam/WIDGET-1"])
        let hidden = try h.send("GET", "/v1/records/\(foreign)", token: token)
        #expect(hidden.status == 404)
        #expect(hidden.errorCode == "record_not_found")
        #expect(try h.admin("GET", "/v1/records/\(foreign)").status == 200)
        #expect(try h.send("POST", "/v1/records/\(foreign)/replay", token: token).status == 404)
        #expect(try h.admin("GET", "/v1/records/987654").errorCode == "record_not_found")
    }

    @Test func replayingAParkedOrderEnqueuesItsPostingJobUnderTheOrdersDedupKeyOnce() throws {
        let (h, token, ids) = try Self.harness("recordreplay")
        defer { h.stop() }
        let order = try #require(ids["contoso/000000100"])
        let first = try h.send("POST", "/v1/records/\(order)/replay", token: token)
        #expect(first.status == 202)
        let job = try #require(first.object["job"] as? [String: Any])
        // The tenant posts on invoices: the posting kind follows the trigger, as for webhooks.
        #expect(job["kind"] as? String == "post_invoice")
        #expect(job["dedup_key"] as? String == "order:contoso:000000100")
        let payload = try #require(job["payload"] as? [String: Any])
        #expect(payload["incrementId"] as? String == "000000100")
        #expect(payload["event"] as? String == "invoice_captured")
        #expect(first.object["deduplicated"] as? Bool == false)
        let second = try h.admin("POST", "/v1/records/\(order)/replay")
        #expect(second.object["deduplicated"] as? Bool == true)
        #expect(try h.count("SELECT count(*) FROM jobs WHERE dedup_key = 'order:contoso:000000100'") == 1)
        let audit = try h.admin("GET", "/v1/records/\(order)").object["audit"] as? [[String: Any]] ?? []
        #expect(audit.last?["code"] as? String == "replay_requested")
        #expect(audit.last?["job_id"] as? Int == job["id"] as? Int)

        let posted = try h.admin("POST", "/v1/records/\(try #require(ids["contoso/000000101"]))/replay")
        #expect(posted.status == 409)
        #expect(posted.errorCode == "record_already_posted")

        let item = try h.admin("POST", "/v1/records/\(try #require(ids["contoso/WIDGET-2"]))/replay")
        #expect(item.status == 202)
        let itemJob = try #require(item.object["job"] as? [String: Any])
        #expect(itemJob["kind"] as? String == "sync_items")
        #expect(itemJob["dedup_key"] as? String == "sync:contoso:items")
        #expect((itemJob["payload"] as? [String: Any])?["mode"] as? String == "full")
    }

    @Test func anOrderRecordReplaysWithTheEventTheTenantPostsOn() throws {
        let (h, _, ids) = try Self.harness("recordtrigger", trigger: .orderPlaced)
        defer { h.stop() }
        let a = try h.admin("POST", "/v1/records/\(try #require(ids["contoso/000000100"]))/replay")
        #expect(((a.object["job"] as? [String: Any])?["payload"] as? [String: Any])?["event"] as? String == "order_placed")
    }
}
