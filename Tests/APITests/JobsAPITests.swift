import API
import Connector
import Foundation
import Postgres
import Testing

/// `POST /v1/tenants/{tenant}/syncs` and `/v1/jobs`, over real sockets and PostgreSQL.
@Suite(.serialized) struct JobsAPITests {
    static func harness(_ label: String) throws -> (APIHarness, tenantToken: String) {
        let h = try APIHarness(label)
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON()).status == 201)
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON(id: "fabrikam", name: "Fabrikam")).status == 201)
        let token = try #require(try h.admin("POST", "/v1/tenants/contoso/tokens", json: "{}").object["token"] as? String)
        return (h, token)
    }

    @Test func aSyncRequestEnqueuesTheAgreedJobAndASecondOneWhileItIsLiveReturnsTheSameJob() throws {
        let (h, _) = try Self.harness("syncs")
        defer { h.stop() }
        let first = try h.admin("POST", "/v1/tenants/contoso/syncs", json: #"{"entity":"items","mode":"full"}"#)
        #expect(first.status == 202)
        let job = try #require(first.object["job"] as? [String: Any])
        #expect(job["kind"] as? String == "sync_items")
        #expect(job["state"] as? String == "available")
        #expect(job["dedup_key"] as? String == "sync:contoso:items")
        #expect((job["payload"] as? [String: Any])?["mode"] as? String == "full")
        #expect(first.object["deduplicated"] as? Bool == false)
        #expect(first.headers["location"] == "/v1/jobs/\(job["id"] as? Int ?? -1)")

        let again = try h.admin("POST", "/v1/tenants/contoso/syncs", json: #"{"entity":"items"}"#)
        #expect(again.status == 202)
        #expect(again.object["deduplicated"] as? Bool == true)
        #expect((again.object["job"] as? [String: Any])?["id"] as? Int == job["id"] as? Int)

        let orders = try h.admin("POST", "/v1/tenants/contoso/syncs", json: #"{"entity":"invoices","mode":"incremental"}"#)
        let ordersJob = try #require(orders.object["job"] as? [String: Any])
        #expect(ordersJob["kind"] as? String == "poll_orders")
        #expect(ordersJob["payload"] as? [String: String] == ["entity": "invoices", "mode": "incremental"])
        #expect(try h.admin("POST", "/v1/tenants/contoso/syncs", json: #"{"entity":"customers"}"#).object["deduplicated"] as? Bool == false)
        #expect(try h.count("SELECT count(*) FROM jobs") == 3)
    }

    @Test func malformedJobFiltersAre400NotADatabaseError() throws {
        let (h, _) = try Self.harness("jobfilters")
        defer { h.stop() }
        // Found by schemathesis: a NUL inside `kind` reached the database and came back as 503.
        for query in ["kind=a%00b", "kind=not%20a%20kind", "kind=" + String(repeating: "k", count: 65), "state=bogus",
                      "tenant=..%2Fetc", "cursor=-x", "limit=0"] {
            let answer = try h.admin("GET", "/v1/jobs?" + query)
            #expect(answer.status == 400, "\(query): \(answer.text)")
            #expect(answer.errorCode != nil, "\(query)")
        }
        #expect(try h.admin("GET", "/v1/jobs?kind=sync_items").status == 200)
    }

    @Test func aSyncRequestWithABadEntityModeOrFieldIs400AndEnqueuesNothing() throws {
        let (h, _) = try Self.harness("syncs400")
        defer { h.stop() }
        for body in [#"{"entity":"products"}"#, #"{"mode":"full"}"#, #"{"entity":"items","mode":"all"}"#,
                     #"{"entity":"items","extra":1}"#, "[]"] {
            let a = try h.admin("POST", "/v1/tenants/contoso/syncs", json: body)
            #expect(a.status == 400, "\(body)")
            #expect(a.errorCode == "validation_failed", "\(body)")
        }
        #expect(try h.admin("POST", "/v1/tenants/nobody/syncs", json: #"{"entity":"items"}"#).status == 404)
        #expect(try h.count("SELECT count(*) FROM jobs") == 0)
    }

    @Test func jobsAreListedNewestFirstByFilterAndCursorAndATenantTokenSeesOnlyItsOwn() throws {
        let (h, token) = try Self.harness("jobslist")
        defer { h.stop() }
        for (tenant, entity) in [("contoso", "items"), ("contoso", "customers"), ("contoso", "orders"), ("fabrikam", "items")] {
            #expect(try h.admin("POST", "/v1/tenants/\(tenant)/syncs", json: #"{"entity":"\#(entity)"}"#).status == 202)
        }
        func ids(_ a: HTTPTestClient.Answer) -> [Int] { (a.object["jobs"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int } }
        let all = try h.admin("GET", "/v1/jobs")
        #expect(ids(all).count == 4)
        #expect(ids(all) == ids(all).sorted(by: >))
        #expect(ids(try h.admin("GET", "/v1/jobs?tenant=fabrikam")).count == 1)
        #expect(ids(try h.admin("GET", "/v1/jobs?tenant=contoso&kind=sync_items")).count == 1)
        #expect(ids(try h.admin("GET", "/v1/jobs?state=completed")).isEmpty)

        let page1 = try h.admin("GET", "/v1/jobs?limit=3")
        let cursor = try #require(page1.object["next_cursor"] as? String)
        let page2 = try h.admin("GET", "/v1/jobs?limit=3&cursor=\(cursor)")
        #expect(ids(page1) + ids(page2) == ids(all))
        #expect(page2.object["next_cursor"] is NSNull)

        let own = try h.send("GET", "/v1/jobs", token: token)
        #expect(ids(own).count == 3)
        #expect((own.object["jobs"] as? [[String: Any]] ?? []).allSatisfy { $0["tenant"] as? String == "contoso" })
        let other = try h.send("GET", "/v1/jobs?tenant=fabrikam", token: token)
        #expect(other.status == 404)
        #expect(other.errorCode == "tenant_not_found")
        let fabrikamJob = try #require(ids(try h.admin("GET", "/v1/jobs?tenant=fabrikam")).first)
        #expect(try h.send("GET", "/v1/jobs/\(fabrikamJob)", token: token).status == 404)
        #expect(try h.send("POST", "/v1/jobs/\(fabrikamJob)/cancel", token: token).status == 404)
        #expect(try h.admin("GET", "/v1/jobs?state=done").errorCode == "invalid_query")
        #expect(try h.admin("GET", "/v1/jobs?cursor=abc").errorCode == "invalid_query")
    }

    @Test func replayRunsOnlyFinishedJobsKeepsTheDedupKeyRecordsTheActorAndRefusesAConflict() throws {
        let (h, token) = try Self.harness("replay")
        defer { h.stop() }
        let job = try #require(try h.admin("POST", "/v1/tenants/contoso/syncs", json: #"{"entity":"items"}"#).object["job"] as? [String: Any])
        let id = try #require(job["id"] as? Int)
        let live = try h.admin("POST", "/v1/jobs/\(id)/replay")
        #expect(live.status == 409)
        #expect(live.errorCode == "job_invalid_state")

        // The job fails for good: discarded with its error, as a worker would leave it.
        _ = try h.connection().execute("""
            UPDATE jobs SET state = 'discarded', attempt = 3, finished_at = now(), last_error = 'gp_unreachable: GP did not answer'
            WHERE id = $1
            """, id)
        let tokenID = try #require(try h.admin("GET", "/v1/tenants/contoso/tokens").object["tokens"] as? [[String: Any]]).first?["id"] as? String
        let replayed = try h.send("POST", "/v1/jobs/\(id)/replay", token: token)
        #expect(replayed.status == 202)
        let after = try #require(replayed.object["job"] as? [String: Any])
        #expect(after["state"] as? String == "available")
        #expect(after["dedup_key"] as? String == "sync:contoso:items")
        let detail = try h.admin("GET", "/v1/jobs/\(id)").object
        let history = detail["history"] as? [[String: Any]] ?? []
        #expect(history.last?["event"] as? String == "replayed")
        #expect(history.last?["actor"] as? String == tokenID)
        #expect(detail["attempt"] as? Int == 3)
        #expect(detail["last_error"] as? String == "gp_unreachable: GP did not answer")

        // Finished again, and meanwhile a new sync took the key: replay would make two live jobs.
        _ = try h.connection().execute("UPDATE jobs SET state = 'completed', finished_at = now() WHERE id = $1", id)
        #expect(try h.admin("POST", "/v1/tenants/contoso/syncs", json: #"{"entity":"items"}"#).object["deduplicated"] as? Bool == false)
        let conflict = try h.admin("POST", "/v1/jobs/\(id)/replay")
        #expect(conflict.status == 409)
        #expect(conflict.errorCode == "job_dedup_conflict")
        #expect(try h.count("SELECT count(*) FROM jobs WHERE state = 'available'") == 1)
    }

    @Test func cancelStopsAnUnstartedJobAndIsRefusedOnceItFinished() throws {
        let (h, token) = try Self.harness("cancel")
        defer { h.stop() }
        let id = try #require((try h.admin("POST", "/v1/tenants/contoso/syncs", json: #"{"entity":"orders"}"#).object["job"] as? [String: Any])?["id"] as? Int)
        let cancelled = try h.send("POST", "/v1/jobs/\(id)/cancel", token: token)
        #expect(cancelled.status == 200)
        #expect((cancelled.object["job"] as? [String: Any])?["state"] as? String == "cancelled")
        let again = try h.admin("POST", "/v1/jobs/\(id)/cancel")
        #expect(again.status == 409)
        #expect(again.errorCode == "job_invalid_state")
        let history = try h.admin("GET", "/v1/jobs/\(id)").object["history"] as? [[String: Any]] ?? []
        #expect(history.map { $0["event"] as? String } == ["cancelled"])
        #expect(try h.admin("GET", "/v1/jobs/999999").errorCode == "job_not_found")
        #expect(try h.admin("GET", "/v1/jobs/abc").status == 404)
    }
}
