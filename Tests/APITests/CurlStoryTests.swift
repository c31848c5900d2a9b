import API
import Connector
import Foundation
import Testing

/// The issue's "Done when", step by step over real sockets, as a curl user would do it.
@Suite(.serialized) struct CurlStoryTests {
    @Test func anAdminRegistersReadsPatchesDelegatesAndDeletesATenantWithoutEverSeeingASecret() throws {
        let h = try APIHarness("story")
        defer { h.stop() }
        var answers: [HTTPTestClient.Answer] = []

        // Register.
        let created = try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON())
        answers.append(created)
        #expect(created.status == 201)
        #expect(created.headers["location"] == "/v1/tenants/contoso")
        #expect(created.headers["content-type"] == "application/json")
        let gp = created.object["gp"] as? [String: Any] ?? [:]
        #expect(gp["password_set"] as? Bool == true)
        #expect(gp["password"] == nil)
        #expect(gp["company_url"] as? String == "https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(Contoso%2C%20Inc.)/")
        let auth = (created.object["commerce"] as? [String: Any])?["auth"] as? [String: Any] ?? [:]
        #expect(auth["consumer_secret_set"] as? Bool == true)
        #expect(auth.keys.sorted() == ["access_token_secret_set", "access_token_set", "consumer_key_set", "consumer_secret_set", "type"])

        // Read back.
        let read = try h.admin("GET", "/v1/tenants/contoso")
        answers.append(read)
        #expect(read.status == 200)
        #expect(read.object["name"] as? String == "Contoso Industrial")

        // Patch: rename, raise parallelism; the password is omitted and must be kept.
        let before = try h.plane.tenants.secrets(of: TenantID("contoso")!)
        let patched = try h.send("PATCH", "/v1/tenants/contoso", token: h.adminToken,
                                 json: #"{"name":"Contoso Industrial EU","gp":{"max_parallel_calls":5,"sites":["MAIN"]}}"#,
                                 headers: ["Content-Type": "application/merge-patch+json"])
        answers.append(patched)
        #expect(patched.status == 200)
        #expect(patched.object["name"] as? String == "Contoso Industrial EU")
        #expect((patched.object["gp"] as? [String: Any])?["max_parallel_calls"] as? Int == 5)
        #expect((patched.object["gp"] as? [String: Any])?["password_set"] as? Bool == true)
        #expect(try h.plane.tenants.secrets(of: TenantID("contoso")!) == before)

        // Issue a tenant token; it is shown once.
        let issued = try h.admin("POST", "/v1/tenants/contoso/tokens", json: #"{"scope":"tenant","name":"dashboard"}"#)
        answers.append(issued)
        #expect(issued.status == 201)
        #expect(issued.headers["cache-control"] == "no-store")
        let tenantToken = try #require(issued.object["token"] as? String)
        #expect(tenantToken.hasPrefix("mlc_"))
        let listed = try h.admin("GET", "/v1/tenants/contoso/tokens")
        #expect(listed.status == 200)
        #expect(!listed.text.contains(tenantToken))
        #expect((listed.object["tokens"] as? [[String: Any]])?.count == 1)

        // A second tenant the tenant token must not see.
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON(id: "fabrikam", name: "Fabrikam")).status == 201)
        #expect(try h.send("GET", "/v1/tenants/contoso", token: tenantToken).status == 200)
        let other = try h.send("GET", "/v1/tenants/fabrikam", token: tenantToken)
        #expect(other.status == 404)
        #expect(other.errorCode == "tenant_not_found")
        let own = try h.send("GET", "/v1/tenants", token: tenantToken)
        #expect((own.object["tenants"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["contoso"])

        // Delete; it is gone, and so is its token.
        #expect(try h.admin("DELETE", "/v1/tenants/contoso").status == 204)
        #expect(try h.admin("GET", "/v1/tenants/contoso").status == 404)
        #expect(try h.send("GET", "/v1/tenants/contoso", token: tenantToken).status == 401)

        for a in answers { #expect(a.leaksNoSecret, "response leaks a secret: \(a.text)") }
        let logs = h.logs.text
        #expect(logs.contains("tenant registered"))
        for secret in Fixtures.allSecrets + [tenantToken, h.adminToken] { #expect(!logs.contains(secret)) }
        #expect(!h.plane.renderedMetrics().contains(Fixtures.gpPassword))
    }

    @Test func theDatabaseHoldsNoPlaintextSecretOrToken() throws {
        let h = try APIHarness("rawbytes")
        defer { h.stop() }
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON()).status == 201)
        let token = try h.admin("POST", "/v1/tenants/contoso/tokens", json: #"{"scope":"agent"}"#).object["token"] as? String ?? "missing"
        let raw = try h.rawTableBytes()
        #expect(raw.count > 500)
        for secret in Fixtures.allSecrets + [token, h.adminToken] {
            #expect(raw.firstRange(of: Array(secret.utf8)) == nil, "plaintext found in the tables")
        }
        // The secrets are there, sealed: the vault opens them.
        let secrets = try h.plane.tenants.secrets(of: TenantID("contoso")!)
        #expect(secrets[.gpPassword] == Fixtures.gpPassword)
        #expect(secrets[.commerceAccessTokenSecret] == Fixtures.accessTokenSecret)
    }

    @Test func pingAnswersPerSideWithTheDocumentedShape() throws {
        let h = try APIHarness("ping")
        defer { h.stop() }
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON()).status == 201)
        let ping = try h.admin("POST", "/v1/tenants/contoso/ping")
        #expect(ping.status == 200)
        #expect(ping.object["tenant"] as? String == "contoso")
        for side in ["gp", "commerce"] {
            let s = try #require(ping.object[side] as? [String: Any])
            #expect(s["ok"] as? Bool == false)
            #expect(s["status"] as? String == "not_implemented")
            #expect(s.keys.sorted() == ["http_status", "latency_ms", "message", "ok", "status"])
        }
        #expect(try h.admin("POST", "/v1/tenants/nobody/ping").status == 404)
    }

    @Test func pingHandsTheProbeTheStoredSecrets() throws {
        struct Probe: TenantProbe {
            func pingGP(_ tenant: Tenant, secrets: SecretValues) -> PingResult {
                PingResult(status: secrets[.gpPassword] == Fixtures.gpPassword ? .ok : .unauthorized, httpStatus: 200, latencyMS: 12.34, message: "GP answered.")
            }
            func pingCommerce(_ tenant: Tenant, secrets: SecretValues) -> PingResult {
                PingResult(status: .timeout, message: "Commerce did not answer within 10 s.")
            }
        }
        let h = try APIHarness("ping2") { $0.probe = Probe() }
        defer { h.stop() }
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON()).status == 201)
        let ping = try h.admin("POST", "/v1/tenants/contoso/ping")
        let gp = ping.object["gp"] as? [String: Any] ?? [:]
        #expect(gp["ok"] as? Bool == true)
        #expect(gp["http_status"] as? Int == 200)
        #expect(gp["latency_ms"] as? Double == 12.3)
        #expect((ping.object["commerce"] as? [String: Any])?["status"] as? String == "timeout")
        #expect(ping.leaksNoSecret)
    }

    @Test func namesAndIdsAreUniqueAndConflictsAnswer409() throws {
        let h = try APIHarness("conflict")
        defer { h.stop() }
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON()).status == 201)
        let sameID = try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON(name: "Other"))
        #expect(sameID.status == 409)
        #expect(sameID.errorCode == "id_taken")
        let sameName = try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON(id: "other", name: "contoso industrial"))
        #expect(sameName.status == 409)
        #expect(sameName.errorCode == "name_taken")
    }

    @Test func listingPagesThroughTenantsInIdOrder() throws {
        let h = try APIHarness("list")
        defer { h.stop() }
        for id in ["c-one", "a-one", "b-one"] {
            #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON(id: id, name: id)).status == 201)
        }
        let first = try h.admin("GET", "/v1/tenants?limit=2")
        #expect((first.object["tenants"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["a-one", "b-one"])
        #expect(first.object["next_after"] as? String == "b-one")
        let second = try h.admin("GET", "/v1/tenants?limit=2&after=b-one")
        #expect((second.object["tenants"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["c-one"])
        #expect(second.object["next_after"] is NSNull)
        #expect(try h.admin("GET", "/v1/tenants?limit=0").status == 400)
    }

    @Test func patchKeepsOmittedSecretsReplacesSentOnesAndDropsNulledOnes() throws {
        let h = try APIHarness("patch")
        defer { h.stop() }
        let id = TenantID("contoso")!
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON()).status == 201)
        #expect(try h.admin("PATCH", "/v1/tenants/contoso", json: #"{"gp":{"password":"N3w-Password"}}"#).status == 200)
        #expect(try h.plane.tenants.secrets(of: id)[.gpPassword] == "N3w-Password")
        // A direct connection cannot drop its password...
        let refused = try h.admin("PATCH", "/v1/tenants/contoso", json: #"{"gp":{"password":null}}"#)
        #expect(refused.status == 400)
        #expect(refused.errorDetails["field"] as? String == "gp.password")
        // ...an agent connection can.
        let agent = try h.admin("PATCH", "/v1/tenants/contoso", json: #"{"gp":{"connection":"agent","password":null}}"#)
        #expect(agent.status == 200)
        #expect((agent.object["gp"] as? [String: Any])?["password_set"] as? Bool == false)
        #expect(try h.plane.tenants.secrets(of: id)[.gpPassword] == nil)
        // Switching Commerce to IMS forgets the OAuth 1 secrets.
        let ims = try h.admin("PATCH", "/v1/tenants/contoso", json: #"{"commerce":{"auth":{"type":"ims","client_id":"cid","client_secret":"csecret","org_id":"ORG@AdobeOrg"}}}"#)
        #expect(ims.status == 200)
        #expect(try h.plane.tenants.secrets(of: id).fields == [.commerceClientSecret])
        let changeID = try h.admin("PATCH", "/v1/tenants/contoso", json: #"{"id":"other"}"#)
        #expect(changeID.status == 400)
        #expect(changeID.errorDetails["field"] as? String == "id")
    }

    @Test func theOpenAPIDocumentIsServed() throws {
        let h = try APIHarness("spec")
        defer { h.stop() }
        let spec = try h.send("GET", "/openapi.yaml")
        #expect(spec.status == 200)
        #expect(spec.headers["content-type"]?.hasPrefix("application/yaml") == true)
        #expect(spec.text.hasPrefix("openapi: 3.1"))
    }
}
