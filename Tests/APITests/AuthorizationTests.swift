import API
import Connector
import Foundation
import Testing

/// 401 vs 403 vs 404 vs 429, token lifecycle and scoping, over real sockets.
@Suite(.serialized) struct AuthorizationTests {
    @Test func requestsWithoutAValidTokenAre401WithAChallenge() throws {
        let h = try APIHarness("auth401")
        defer { h.stop() }
        let cases: [[String: String]] = [
            [:],
            ["Authorization": "Bearer"],
            ["Authorization": "Basic YWRtaW46YWRtaW4="],
            ["Authorization": "Bearer not-a-token"],
            // Right shape and a real id, wrong secret.
            ["Authorization": "Bearer " + String(h.adminToken.dropLast(4)) + "AAAA"],
        ]
        for headers in cases {
            let a = try h.send("GET", "/v1/tenants", headers: headers)
            #expect(a.status == 401, "\(headers)")
            #expect(a.errorCode == "missing_token" || a.errorCode == "invalid_token")
            #expect(a.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
        }
        #expect(try h.admin("GET", "/v1/tenants").status == 200)
    }

    @Test func agentTokensAreForbiddenOnTheControlPlaneAndTenantTokensOnAdminRoutes() throws {
        let h = try APIHarness("auth403")
        defer { h.stop() }
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON()).status == 201)
        let agent = try #require(try h.admin("POST", "/v1/tenants/contoso/tokens", json: #"{"scope":"agent"}"#).object["token"] as? String)
        let tenant = try #require(try h.admin("POST", "/v1/tenants/contoso/tokens", json: "{}").object["token"] as? String)
        for (method, path) in [("GET", "/v1/tenants"), ("GET", "/v1/tenants/contoso"), ("POST", "/v1/tenants/contoso/ping")] {
            let a = try h.send(method, path, token: agent)
            #expect(a.status == 403, "\(method) \(path)")
            #expect(a.errorCode == "forbidden")
        }
        let create = try h.send("POST", "/v1/tenants", token: tenant, json: Fixtures.tenantJSON(id: "x", name: "X"))
        #expect(create.status == 403)
        #expect(try h.send("DELETE", "/v1/tenants/contoso", token: tenant).status == 403)
        // What a tenant token may do on its own tenant.
        #expect(try h.send("GET", "/v1/tenants/contoso", token: tenant).status == 200)
        #expect(try h.send("PATCH", "/v1/tenants/contoso", token: tenant, json: #"{"gp":{"max_parallel_calls":4}}"#).status == 200)
        #expect(try h.send("POST", "/v1/tenants/contoso/ping", token: tenant).status == 200)
        #expect(try h.send("GET", "/v1/tenants/contoso/tokens", token: tenant).status == 200)
    }

    @Test func aTenantTokenSeesAnotherTenantExactlyAsIfItDidNotExist() throws {
        let h = try APIHarness("auth404")
        defer { h.stop() }
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON()).status == 201)
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON(id: "fabrikam", name: "Fabrikam")).status == 201)
        let token = try #require(try h.admin("POST", "/v1/tenants/contoso/tokens", json: "{}").object["token"] as? String)
        let before = try h.snapshot()
        for tenant in ["fabrikam", "does-not-exist"] {
            for (method, path, body) in [("GET", "/v1/tenants/\(tenant)", nil), ("PATCH", "/v1/tenants/\(tenant)", #"{"name":"Mine"}"#),
                                         ("POST", "/v1/tenants/\(tenant)/ping", nil), ("POST", "/v1/tenants/\(tenant)/tokens", "{}"),
                                         ("GET", "/v1/tenants/\(tenant)/tokens", nil), ("DELETE", "/v1/tenants/\(tenant)/tokens/0123456789abcdef", nil)] as [(String, String, String?)] {
                let a = try h.send(method, path, token: token, json: body)
                #expect(a.status == 404, "\(method) \(path)")
                #expect(a.errorCode == "tenant_not_found", "\(method) \(path)")
            }
        }
        #expect(try h.snapshot() == before)
    }

    @Test func revokedTokensStopWorkingAndLastUseIsRecorded() throws {
        let h = try APIHarness("revoke")
        defer { h.stop() }
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON()).status == 201)
        let issued = try h.admin("POST", "/v1/tenants/contoso/tokens", json: #"{"name":"ci"}"#)
        let token = try #require(issued.object["token"] as? String)
        let id = try #require(issued.object["id"] as? String)
        #expect(issued.object["last_used_at"] is NSNull)
        #expect(try h.send("GET", "/v1/tenants/contoso", token: token).status == 200)
        let listed = try h.admin("GET", "/v1/tenants/contoso/tokens").object["tokens"] as? [[String: Any]] ?? []
        #expect(listed.first?["last_used_at"] is String)
        #expect(listed.first?["name"] as? String == "ci")
        // Another tenant's path cannot revoke it.
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON(id: "fabrikam", name: "Fabrikam")).status == 201)
        #expect(try h.admin("DELETE", "/v1/tenants/fabrikam/tokens/\(id)").status == 404)
        #expect(try h.admin("DELETE", "/v1/tenants/contoso/tokens/\(id)").status == 204)
        #expect(try h.send("GET", "/v1/tenants/contoso", token: token).status == 401)
        #expect(try h.admin("DELETE", "/v1/tenants/contoso/tokens/\(id)").status == 404)
    }

    @Test func repeatedFailedAuthenticationIsRateLimitedWithRetryAfter() throws {
        let h = try APIHarness("ratelimit") { $0.authFailureLimit = 3; $0.authFailureWindow = .seconds(30) }
        defer { h.stop() }
        for _ in 0..<3 {
            #expect(try h.send("GET", "/v1/tenants", token: "mlc_0000000000000000_" + String(repeating: "A", count: 43)).status == 401)
        }
        let limited = try h.send("GET", "/v1/tenants", token: "wrong")
        #expect(limited.status == 429)
        #expect(limited.errorCode == "too_many_failed_attempts")
        let retry = try #require(limited.headers["retry-after"].flatMap(Int.init))
        #expect((1...30).contains(retry))
        // While limited, the address gets no answer about any token, valid or not.
        #expect(try h.admin("GET", "/v1/tenants").status == 429)
        // Another client address keeps its own budget: the guesser does not lock everyone out.
        let otherClient = HTTPTestClient(port: h.client.port, source: "127.0.0.2")
        #expect(try otherClient.send("GET", "/v1/tenants", token: h.adminToken).status == 200)
        #expect(h.plane.renderedMetrics().contains("mlc_auth_rate_limited_total 2"))
        #expect(h.plane.renderedMetrics().contains("mlc_auth_failures_total 3"))
    }

    @Test func missingTokensDoNotCountAsGuesses() throws {
        let h = try APIHarness("ratelimit2") { $0.authFailureLimit = 2 }
        defer { h.stop() }
        for _ in 0..<5 { #expect(try h.send("GET", "/v1/tenants").status == 401) }
        #expect(try h.admin("GET", "/v1/tenants").status == 200)
    }

    @Test func tokenRequestsAreValidated() throws {
        let h = try APIHarness("tokenbody")
        defer { h.stop() }
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON()).status == 201)
        let before = try h.snapshot()
        for body in [#"{"scope":"admin"}"#, #"{"scope":"tenant","extra":1}"#, #"{"name":5}"#, "[]", "{", #"{"scope":null,"name":"x\u0001"}"#] {
            let a = try h.admin("POST", "/v1/tenants/contoso/tokens", json: body)
            #expect(a.status == 400, "\(body)")
            #expect(a.errorCode != nil)
        }
        #expect(try h.snapshot() == before)
    }
}
