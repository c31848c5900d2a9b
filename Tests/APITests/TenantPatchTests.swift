import Testing
@testable import Connector

@Suite struct TenantPatchTests {
    @Test func mergePatchFollowsRFC7386() {
        // Examples from RFC 7386 appendix A.
        let cases: [(String, String, String)] = [
            (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
            (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
            (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
            (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
            (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
            (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
            (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
            (#"{"e":null}"#, #"{"a":1}"#, #"{"a":1,"e":null}"#),
            (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
            (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
        ]
        for (target, patch, expected) in cases {
            let t = try! DocumentValue.parse(Array(target.utf8)), p = try! DocumentValue.parse(Array(patch.utf8))
            #expect(t.merging(patch: p) == (try! DocumentValue.parse(Array(expected.utf8))), "\(target) + \(patch)")
        }
    }

    @Test func omittedSecretsAreKeptAndNullOnesDropped() {
        let stored: Set<SecretField> = [.gpPassword, .commerceConsumerKey]
        let keep = TenantPatch.apply(.object(["name": .string("New")]), to: .object([:]), storedSecrets: stored)
        #expect(keep.keptSecrets == stored)
        let drop = TenantPatch.apply(.object(["gp": .object(["password": .null])]), to: .object([:]), storedSecrets: stored)
        #expect(drop.keptSecrets == [.commerceConsumerKey])
    }

    @Test func switchingAuthTypeReplacesTheAuthObjectAndForgetsOldCredentials() throws {
        let v = Fixtures.validator
        let t = try v.validate(Fixtures.tenantDocument(), keptSecrets: [])
        let patch: DocumentValue = .object(["commerce": .object(["auth": .object([
            "type": .string("ims"), "client_id": .string("cid"), "client_secret": .string("sec"), "org_id": .string("O@AdobeOrg")])])])
        let merged = TenantPatch.apply(patch, to: t.settings.document, storedSecrets: t.secretFields)
        #expect(merged.keptSecrets == [.gpPassword])
        let again = try v.validate(merged.document, keptSecrets: merged.keptSecrets)
        #expect(again.settings.commerce.auth.typeName == "ims")
        #expect(again.secretFields == [.gpPassword, .commerceClientSecret])
    }

    @Test func deepDocumentsAreRefusedBeforeDecoding() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: DocumentParseError.tooDeep(32)) { try DocumentValue.parse(Array(deep.utf8)) }
        #expect(throws: DocumentParseError.malformed) { try DocumentValue.parse(Array("{\"a\":".utf8)) }
        #expect(throws: DocumentParseError.malformed) { try DocumentValue.parse(Array("{\"a\":tru}".utf8)) }
    }

    @Test func booleansAndNumbersKeepTheirTypes() throws {
        let doc = try DocumentValue.parse(Array(#"{"t":true,"one":1,"half":0.5,"s":"1"}"#.utf8))
        #expect(doc == .object(["t": .bool(true), "one": .number(1), "half": .number(0.5), "s": .string("1")]))
    }
}
