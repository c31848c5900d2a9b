import Testing
@testable import Connector

@Suite struct TenantValidatorTests {
    let v = Fixtures.validator

    func issues(_ doc: DocumentValue, kept: Set<SecretField> = []) -> [FieldIssue] {
        do {
            _ = try v.validate(doc, keptSecrets: kept)
            return []
        } catch {
            return error.issues
        }
    }

    @Test func theDesignDocumentsRegistrationIsValidAndItsSecretsAreSeparated() throws {
        let t = try v.validate(Fixtures.tenantDocument(), keptSecrets: [])
        #expect(t.id == TenantID("contoso"))
        #expect(t.settings.gp.companyURL.company == "Contoso, Inc.")
        #expect(t.settings.gp.username == "CONTOSO\\svc-gp")
        #expect(t.settings.commerce.auth == .oauth1)
        #expect(t.newSecrets[.gpPassword] == Fixtures.gpPassword)
        #expect(t.secretFields == Set([.gpPassword] + SecretField.oauth1))
        // The stored document holds no secret at all.
        let stored = String(decoding: t.settings.document.jsonData(), as: UTF8.self)
        for secret in Fixtures.allSecrets { #expect(!stored.contains(secret)) }
    }

    @Test func theStoredDocumentValidatesBackToTheSameSettings() throws {
        let t = try v.validate(Fixtures.tenantDocument(), keptSecrets: [])
        let again = try v.validate(t.settings.document, keptSecrets: t.secretFields)
        #expect(again.settings == t.settings)
        #expect(again.newSecrets.values.isEmpty)
        #expect(again.secretFields == t.secretFields)
    }

    @Test(arguments: [
        ("gp.company_url", DocumentValue.string("https://evil.example%2Fgp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(A)/"), "encoded_host"),
        ("gp.company_url", .string("http://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(A)/"), "insecure_http"),
        ("gp.company_url", .number(3), "wrong_type"),
        ("gp.company_url", nil, "required"),
        ("gp.connection", .string("vpn"), "invalid_choice"),
        ("gp.auth", .string("kerberos"), "invalid_choice"),
        ("gp.username", .string("svc-gp"), "invalid_format"),
        ("gp.username", .string("CONTOSO\\x'; DROP TABLE tenants; --"), "invalid_format"),
        ("gp.username", .string("a\\b\\c"), "invalid_format"),
        ("gp.password", nil, "required"),
        ("gp.password", .string(""), "invalid_format"),
        ("gp.max_parallel_calls", .number(0), "out_of_range"),
        ("gp.max_parallel_calls", .number(17), "out_of_range"),
        ("gp.max_parallel_calls", .number(2.5), "wrong_type"),
        ("gp.max_parallel_calls", .string("3"), "wrong_type"),
        ("gp.price_level", .string("RETAIL'; --"), "invalid_format"),
        ("gp.functional_currency", .string("usd"), "invalid_format"),
        ("gp.batch_prefix", .string("TOO-LONG-PREFIX"), "invalid_format"),
        ("gp.tls.verify", .string("yes"), "wrong_type"),
        ("gp.tls.ca_pem", .string("not a certificate"), "invalid_format"),
        ("gp.surprise", .bool(true), "unknown_field"),
        ("commerce.base_url", .string("https://shop.contoso.com/rest/default"), "includes_api_path"),
        ("commerce.base_url", .string("http://shop.contoso.com"), "insecure_http"),
        ("commerce.store_code", .string("default'; DROP TABLE tenants; --"), "invalid_format"),
        ("commerce.auth.consumer_secret", .string("short"), "invalid_format"),
        ("commerce.auth.access_token", nil, "required"),
        ("commerce.auth.type", .string("basic"), "invalid_choice"),
        ("commerce.auth.extra", .string("x"), "unknown_field"),
        ("commerce.webhook_public_key", .string("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----"), "invalid_public_key"),
        ("schedule.items_every_s", .number(5), "out_of_range"),
        ("schedule.cron", .string("* * * * *"), "unknown_field"),
        ("id", .string("../etc"), "invalid_format"),
        ("id", .string("Contoso"), "invalid_format"),
        ("name", .string(""), "required"),
        ("name", .string("Contoso\u{0}"), "control_character"),
        ("nickname", .string("x"), "unknown_field"),
    ])
    func eachBadFieldIsReportedByNameAndCode(path: String, value: DocumentValue?, code: String) {
        let found = issues(Fixtures.tenantDocument().setting(path, value))
        #expect(found.map(\.field) == [path])
        #expect(found.map(\.code) == [code])
    }

    @Test func allProblemsAreReportedAtOnce() {
        let doc = Fixtures.tenantDocument().setting("gp.auth", .string("x")).setting("commerce.store_code", .string("A B")).setting("extra", nil).setting("other", .number(1))
        #expect(Set(issues(doc).map(\.field)) == ["gp.auth", "commerce.store_code", "other"])
    }

    @Test func validationMessagesNeverRepeatASubmittedSecret() {
        let secret = "Sup3r-Secret-Value-\u{7}"
        let doc = Fixtures.tenantDocument().setting("gp.password", .string(secret)).setting("commerce.auth.consumer_key", .string(secret))
        let text = issues(doc).map(\.description).joined()
        #expect(!text.isEmpty)
        #expect(!text.contains("Sup3r"))
    }

    @Test func httpIsAcceptedWhenAllowedAndThenFlagged() throws {
        let doc = Fixtures.tenantDocument()
            .setting("gp.company_url", .string("http://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(A)/"))
            .setting("gp.tls.allow_insecure_http", .bool(true))
        let t = try v.validate(doc, keptSecrets: [])
        #expect(t.settings.gp.companyURL.isInsecure)
        #expect(t.settings.warnings.map(\.code) == ["insecure_http"])
    }

    @Test func imsAuthNeedsCommerceAccsAndDefaultsTheTokenURL() throws {
        let ims: DocumentValue = .object(["type": .string("ims"), "client_id": .string("abc123"), "client_secret": .string("s3cr3t"),
                                          "org_id": .string("1234ABCD@AdobeOrg")])
        let saas = Fixtures.tenantDocument().setting("commerce.base_url", .string("https://na1.api.commerce.adobe.com/tenant1")).setting("commerce.auth", ims)
        let t = try v.validate(saas, keptSecrets: [])
        guard case .ims(let settings) = t.settings.commerce.auth else { Issue.record("not ims"); return }
        #expect(settings.tokenURL == IMSSettings.defaultTokenURL)
        #expect(settings.scopes.contains("commerce.accs"))
        #expect(t.secretFields == [.gpPassword, .commerceClientSecret])
        #expect(issues(saas.setting("commerce.auth.scopes", .array([.string("openid")]))).map(\.code) == ["missing_scope"])
        #expect(issues(saas.setting("commerce.auth.token_url", .string("ftp://x"))).map(\.code) == ["invalid_url"])
    }

    @Test func saasRefusesOAuth1() {
        let doc = Fixtures.tenantDocument().setting("commerce.base_url", .string("https://na1.api.commerce.adobe.com/tenant1"))
        #expect(issues(doc).map(\.code) == ["unsupported_for_saas"])
    }

    @Test func agentConnectionsMayLeaveTheCredentialsOnTheAgent() throws {
        let doc = Fixtures.tenantDocument().setting("gp.connection", .string("agent")).setting("gp.username", nil).setting("gp.password", nil)
        let t = try v.validate(doc, keptSecrets: [])
        #expect(t.settings.gp.connection == .agent)
        #expect(!t.secretFields.contains(.gpPassword))
    }

    @Test func aKeptSecretSatisfiesRequiredWithoutBeingSentAgain() throws {
        let doc = Fixtures.tenantDocument().setting("gp.password", nil)
        #expect(issues(doc).map(\.field) == ["gp.password"])
        let t = try v.validate(doc, keptSecrets: [.gpPassword])
        #expect(t.secretFields.contains(.gpPassword))
        #expect(t.newSecrets[.gpPassword] == nil)
    }

    @Test func aDocumentThatIsNotAnObjectIsRefused() {
        #expect(issues(.array([])).map(\.code) == ["wrong_type"])
    }

    @Test(arguments: ["Dupont & Fils", "O'Brien Supply", "Robert'); DROP TABLE tenants;--", "Société Générale", "株式会社"])
    func freeTextNamesAreDataEvenWithQuotes(name: String) throws {
        let t = try v.validate(Fixtures.tenantDocument().setting("name", .string(name)), keptSecrets: [])
        #expect(t.settings.name == name)
    }
}
