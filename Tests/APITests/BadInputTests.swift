import API
import Connector
import Foundation
import Testing

/// Every bad input of the issue: a 4xx with the JSON error shape, and the database unchanged.
@Suite(.serialized) struct BadInputTests {
    /// Sends `body` to create and to patch a tenant; both must fail with `status` and change nothing.
    func expectRefused(_ h: APIHarness, body: [UInt8], contentType: String = "application/json",
                       status: Int, code: String? = nil, field: String? = nil, _ comment: Comment? = nil) throws {
        let before = try h.snapshot()
        for (method, path) in [("POST", "/v1/tenants"), ("PATCH", "/v1/tenants/seed")] {
            let a = try h.send(method, path, token: h.adminToken, headers: ["Content-Type": contentType], rawBody: body)
            #expect(a.status == status, "\(method): \(a.text.prefix(300)) \(comment?.rawValue ?? "")")
            #expect(a.errorCode != nil, "JSON error shape: \(a.text.prefix(200))")
            if let code { #expect(a.errorCode == code, "\(method) \(comment?.rawValue ?? "")") }
            if let field, method == "POST" { #expect(a.errorDetails["field"] as? String == field, "\(comment?.rawValue ?? "")") }
            #expect(a.leaksNoSecret)
        }
        #expect(try h.snapshot() == before, "database changed \(comment?.rawValue ?? "")")
    }

    func seeded() throws -> APIHarness {
        let h = try APIHarness("bad")
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON(id: "seed", name: "Seed")).status == 201)
        return h
    }

    @Test func malformedJSONIsRefused() throws {
        let h = try seeded()
        defer { h.stop() }
        for text in ["{", "{\"name\":}", "nul", "{\"a\":1}}", "{'name':'x'}"] {
            try expectRefused(h, body: Array(text.utf8), status: 400, code: "invalid_json", Comment(rawValue: text))
        }
    }

    @Test func wrongTypesAreRefusedNamingTheField() throws {
        let h = try seeded()
        defer { h.stop() }
        for (path, value) in [("gp.max_parallel_calls", DocumentValue.string("3")), ("name", .number(1)), ("gp", .array([])),
                              ("gp.sites", .string("MAIN")), ("gp.tls.verify", .number(1)), ("commerce.auth", .string("oauth1"))] {
            try expectRefused(h, body: Array(Fixtures.tenantDocument().setting(path, value).json.utf8), status: 400,
                              code: "validation_failed", field: path, Comment(rawValue: path))
        }
        try expectRefused(h, body: Array("[1,2]".utf8), status: 400)
    }

    @Test func unknownFieldsAreRefusedNamingTheField() throws {
        let h = try seeded()
        defer { h.stop() }
        for path in ["color", "gp.pasword", "gp.tls.verfy", "commerce.auth.secret", "schedule.hourly", "commerce.tls.pin"] {
            try expectRefused(h, body: Array(Fixtures.tenantDocument().setting(path, .string("x")).json.utf8), status: 400,
                              code: "validation_failed", field: path, Comment(rawValue: path))
        }
    }

    @Test func oversizedBodiesAre413() throws {
        let h = try seeded()
        defer { h.stop() }
        let huge = Fixtures.tenantDocument().setting("name", .string(String(repeating: "x", count: 100_000))).json
        try expectRefused(h, body: Array(huge.utf8), status: 413)
    }

    @Test func deeplyNestedJSONIsRefusedBeforeParsing() throws {
        let h = try seeded()
        defer { h.stop() }
        let deep = "{\"name\":" + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "}"
        try expectRefused(h, body: Array(deep.utf8), status: 400, code: "json_too_deep")
    }

    @Test func aCompanyURLWithAnotherHostInEncodedFormIsRefused() throws {
        let h = try seeded()
        defer { h.stop() }
        for url in ["https://evil.example%2F@gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(A)/",
                    "https://gp.contoso.local%2F%2Fevil.example/GPService/Tenants(DefaultTenant)/Companies(A)/",
                    "https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(A)/..%2F..%2F%2F%2Fevil.example%2F",
                    "https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(A%2F%2Fevil.example)/",
                    "https:%2F%2Fevil.example/GPService/Tenants(DefaultTenant)/Companies(A)/"] {
            try expectRefused(h, body: Array(Fixtures.tenantDocument().setting("gp.company_url", .string(url)).json.utf8), status: 400,
                              code: "validation_failed", field: "gp.company_url", Comment(rawValue: url))
        }
    }

    @Test func sqlMetacharactersInEveryStringFieldChangeNothing() throws {
        let h = try seeded()
        defer { h.stop() }
        let payload = "x'); DROP TABLE tenants; --\"\\"
        let formatted = ["id", "gp.company_url", "gp.connection", "gp.auth", "gp.username", "gp.tls.ca_pem", "gp.price_level",
                         "gp.batch_prefix", "gp.document_prefix", "gp.functional_currency", "commerce.base_url", "commerce.store_code",
                         "commerce.auth.type", "commerce.auth.consumer_key", "commerce.auth.consumer_secret", "commerce.auth.access_token",
                         "commerce.auth.access_token_secret", "commerce.webhook_public_key"]
        for path in formatted {
            try expectRefused(h, body: Array(Fixtures.tenantDocument(id: "sqltest", name: "SQL").setting(path, .string(payload)).json.utf8),
                              status: 400, code: "validation_failed", field: path, Comment(rawValue: path))
        }
        try expectRefused(h, body: Array(Fixtures.tenantDocument(id: "sqltest", name: "SQL").setting("gp.sites", .array([.string(payload)])).json.utf8),
                          status: 400, code: "validation_failed", field: "gp.sites[0]")
        // Free text (the name; a password) is data: stored verbatim, and the tables survive.
        let doc = Fixtures.tenantDocument(id: "sqltest", name: payload).setting("gp.password", .string(payload))
        let created = try h.admin("POST", "/v1/tenants", json: doc.json)
        #expect(created.status == 201)
        #expect(created.object["name"] as? String == payload)
        #expect(try h.plane.tenants.secrets(of: TenantID("sqltest")!)[.gpPassword] == payload)
        #expect(try h.admin("GET", "/v1/tenants/seed").status == 200)
        #expect(!created.text.contains("DROP TABLE tenants; --\\\"\\\\\",\"gp\""))
    }

    @Test func aPublicKeyThatIsNotAKeyIsRefused() throws {
        let h = try seeded()
        defer { h.stop() }
        let certificateLike = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"
        for pem in ["hello", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", certificateLike, Fixtures.publicKey1024] {
            try expectRefused(h, body: Array(Fixtures.tenantDocument().setting("commerce.webhook_public_key", .string(pem)).json.utf8),
                              status: 400, code: "validation_failed", field: "commerce.webhook_public_key", Comment(rawValue: String(pem.prefix(30))))
        }
    }

    @Test func aTenantIdWithDotDotSlashIsRefusedInBodyAndPath() throws {
        let h = try seeded()
        defer { h.stop() }
        for id in ["../seed", "..", "seed/../x", "SEED", "seed%2F..", "seed\u{0}"] {
            try expectRefused(h, body: Array(Fixtures.tenantDocument(id: id, name: "Dots").json.utf8), status: 400,
                              code: "validation_failed", field: "id", Comment(rawValue: id))
        }
        let before = try h.snapshot()
        for path in ["/v1/tenants/..%2F..%2Fetc", "/v1/tenants/..", "/v1/tenants/%2E%2E", "/v1/tenants/seed%2F..%2Fx"] {
            for method in ["GET", "PATCH", "DELETE"] {
                let a = try h.send(method, path, token: h.adminToken, json: method == "PATCH" ? "{}" : nil)
                #expect((400...499).contains(a.status), "\(method) \(path) → \(a.status)")
                #expect(a.errorCode != nil, "\(method) \(path)")
            }
        }
        #expect(try h.snapshot() == before)
    }

    @Test func bodiesThatAreNotJSONAre415() throws {
        let h = try seeded()
        defer { h.stop() }
        try expectRefused(h, body: Array(Fixtures.tenantJSON().utf8), contentType: "text/plain", status: 415, code: "unsupported_media_type")
        try expectRefused(h, body: Array("name=x".utf8), contentType: "application/x-www-form-urlencoded", status: 415)
    }

    @Test func anEmptyBodyIsRefused() throws {
        let h = try seeded()
        defer { h.stop() }
        try expectRefused(h, body: [], status: 400, code: "invalid_json")
    }
}
