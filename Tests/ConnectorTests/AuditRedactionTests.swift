import Connector
import Foundation
import Testing

@Suite struct AuditRedactionTests {
    static let secrets = ["hunter2", "s3cr3t-token", "abc.def.ghi", "ck-123", "pw-9"]

    @Test(arguments: [
        #"{"username":"svc","password":"hunter2","nested":{"client_secret":"s3cr3t-token","items":[{"accessToken":"abc.def.ghi"}]}}"#,
        #"[{"oauth_consumer_key":"ck-123","Payload":{"Password":"pw-9"}}]"#,
        "grant_type=client_credentials&client_secret=s3cr3t-token&client_id=app",
        "Authorization: Bearer abc.def.ghi\nContent-Type: application/json",
        "GP said: login failed for password=hunter2, token: s3cr3t-token",
        #"curl -H "Authorization: OAuth oauth_token="abc.def.ghi"" failed"#,
    ])
    func secretsNeverSurviveRedaction(_ body: String) throws {
        let out = try #require(AuditRedaction.body(body))
        for secret in Self.secrets { #expect(!out.contains(secret), "\(out)") }
        #expect(out.contains(AuditRedaction.mask))
    }

    @Test func jsonKeepsItsShapeAndHarmlessValues() throws {
        let out = try #require(AuditRedaction.body(#"{"sku":"W-1","price":19.99,"token":null,"api_key":"k"}"#))
        let json = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
        #expect(json?["sku"] as? String == "W-1")
        #expect(json?["api_key"] as? String == "***")
        #expect(json?["token"] is NSNull)
    }

    @Test func urlsLoseUserinfoAndSecretQueryParameters() {
        #expect(AuditRedaction.url("https://svc:hunter2@gp.example/GPService/x?access_token=abc&page=2#f")
                == "https://***@gp.example/GPService/x?access_token=***&page=2#f")
        #expect(AuditRedaction.url("https://shop.example/rest/V1/products?searchCriteria[pageSize]=10")
                == "https://shop.example/rest/V1/products?searchCriteria[pageSize]=10")
    }

    @Test func headersAreMaskedByName() {
        let out = AuditRedaction.headers([("Authorization", "NTLM TlRMTVNT"), ("X-Api-Key", "k"), ("Accept", "application/json")])
        #expect(out.map(\.1) == ["***", "***", "application/json"])
    }

    @Test func bodiesAreCappedOnACharacterBoundary() {
        let text = String(repeating: "é", count: 100)  // 200 bytes
        let out = AuditRedaction.capped(text, cap: 51)
        #expect(out.hasPrefix(String(repeating: "é", count: 25)))
        #expect(out.hasSuffix("…[truncated: 200 bytes]"))
        #expect(AuditRedaction.capped("short", cap: 51) == "short")
    }

    @Test(arguments: [("client_secret", true), ("X-Auth-Token", true), ("Password", true), ("sku", false),
                      ("dedup_key", false), ("description", false), ("oauth_signature", true)])
    func sensitiveKeysAreFoundByName(_ t: (String, Bool)) {
        #expect(AuditRedaction.isSensitive(t.0) == t.1)
    }
}
