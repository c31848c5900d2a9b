import Testing
@testable import Connector

@Suite struct CompanyURLTests {
    @Test(arguments: [
        // (input, normalised, company)
        ("https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(Contoso%2C%20Inc.)/",
         "https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(Contoso%2C%20Inc.)/", "Contoso, Inc."),
        ("https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(Contoso, Inc.)",
         "https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(Contoso%2C%20Inc.)/", "Contoso, Inc."),
        ("HTTPS://GP.Contoso.Local:443/gpservice/tenants(DefaultTenant)/companies(Fabrikam)/",
         "https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(Fabrikam)/", "Fabrikam"),
        ("https://gp:8443/GPService/Tenants(DefaultTenant)/Companies(Transcontinental Capital Corportation (Bermuda) LTD)/",
         "https://gp:8443/GPService/Tenants(DefaultTenant)/Companies(Transcontinental%20Capital%20Corportation%20(Bermuda)%20LTD)/",
         "Transcontinental Capital Corportation (Bermuda) LTD"),
        ("https://gp/GPService/Tenants(DefaultTenant)/Companies(Transcontinental%20Capital%20Corportation%20%28Bermuda%29%20LTD)/",
         "https://gp/GPService/Tenants(DefaultTenant)/Companies(Transcontinental%20Capital%20Corportation%20(Bermuda)%20LTD)/",
         "Transcontinental Capital Corportation (Bermuda) LTD"),
        ("https://gp/GPService/Tenants(DefaultTenant)/Companies(COMPAÑIA DE PRUEBA)/",
         "https://gp/GPService/Tenants(DefaultTenant)/Companies(COMPA%C3%91IA%20DE%20PRUEBA)/", "COMPAÑIA DE PRUEBA"),
        ("https://gp/GPService/Tenants(DefaultTenant)/Companies(COMPA%C3%91IA%20DE%20PRUEBA)",
         "https://gp/GPService/Tenants(DefaultTenant)/Companies(COMPA%C3%91IA%20DE%20PRUEBA)/", "COMPAÑIA DE PRUEBA"),
        ("  https://[::1]:8080/GPService/Tenants(T1)/Companies(A)/  ",
         "https://[::1]:8080/GPService/Tenants(T1)/Companies(A)/", "A"),
        ("http://gp.local/GPService/Tenants(DefaultTenant)/Companies(Odd ) name)/",
         "http://gp.local/GPService/Tenants(DefaultTenant)/Companies(Odd%20%29%20name)/", "Odd ) name"),
    ])
    func acceptsCompanyNamesRawOrEncodedAndNormalisesThem(input: String, normalized: String, company: String) throws {
        let url = try CompanyURL.parse(input)
        #expect(url.normalized == normalized)
        #expect(url.company == company)
        // The normalised form parses back to itself.
        #expect(try CompanyURL.parse(url.normalized) == url)
    }

    @Test(arguments: [
        ("gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(A)/", CompanyURLError.notAbsolute),
        ("ftp://gp/GPService/Tenants(DefaultTenant)/Companies(A)/", .unsupportedScheme),
        ("https://user:pw@gp/GPService/Tenants(DefaultTenant)/Companies(A)/", .userInfo),
        ("https://gp.contoso.local%2F@evil.example/GPService/Tenants(DefaultTenant)/Companies(A)/", .userInfo),
        ("https://evil.example%2Fgp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(A)/", .encodedHost),
        ("https://gp%2Eevil.example/GPService/Tenants(DefaultTenant)/Companies(A)/", .encodedHost),
        ("https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(A%2F..%2F..%2F%2Fevil.example)/", .extraPath),
        ("https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(A)/%2F%2Fevil.example/", .extraPath),
        ("https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(A)/Sales/Customers", .extraPath),
        ("https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(A)/?x=1", .queryOrFragment),
        ("https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(A%ZZ)/", .badPercentEncoding),
        ("https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(A%FF)/", .badPercentEncoding),
        ("https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(A%0AB)/", .controlCharacter),
        ("https://gp.contoso.local/GPService/Companies(A)/", .notACompanyPath),
        ("https://gp.contoso.local/", .notACompanyPath),
        ("https://gp.contoso.local/GPService/Tenants()/Companies(A)/", .notACompanyPath),
        ("https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies()/", .notACompanyPath),
        ("https://gp.contoso.local:99999/GPService/Tenants(DefaultTenant)/Companies(A)/", .invalidPort),
        ("https://gp_contoso!/GPService/Tenants(DefaultTenant)/Companies(A)/", .invalidHost),
        ("https://gpé.local/GPService/Tenants(DefaultTenant)/Companies(A)/", .invalidHost),
        ("https://gp.local\\@evil.example/GPService/Tenants(DefaultTenant)/Companies(A)/", .userInfo),
    ])
    func rejectsURLsThatAreNotOneCompanyOnTheWrittenHost(input: String, expected: CompanyURLError) {
        #expect(throws: expected) { try CompanyURL.parse(input) }
    }

    @Test func anEncodedHostInThePathNeverChangesTheHost() throws {
        // The decoded company name may mention a host; the request still goes to the written one.
        let url = try CompanyURL.parse("https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(evil.example%3A443)/")
        #expect(url.host == "gp.contoso.local")
        #expect(url.origin == "https://gp.contoso.local")
        #expect(url.company == "evil.example:443")
    }
}

@Suite struct CommerceBaseURLTests {
    @Test(arguments: [
        ("https://shop.contoso.com", "https://shop.contoso.com", CommerceBaseURL.Kind.paas),
        ("https://shop.contoso.com/", "https://shop.contoso.com", .paas),
        ("https://Shop.Contoso.com:443/magento/", "https://shop.contoso.com/magento", .paas),
        ("http://127.0.0.1:8081", "http://127.0.0.1:8081", .paas),
        ("https://na1.api.commerce.adobe.com/AbC123xyz", "https://na1.api.commerce.adobe.com/AbC123xyz", .saas),
        ("https://eu1.api.commerce.adobe.com/tenant-7/", "https://eu1.api.commerce.adobe.com/tenant-7", .saas),
    ])
    func recognisesPaaSAndSaaSBaseURLs(input: String, normalized: String, kind: CommerceBaseURL.Kind) throws {
        let url = try CommerceBaseURL.parse(input)
        #expect(url.normalized == normalized)
        #expect(url.kind == kind)
    }

    @Test(arguments: [
        ("shop.contoso.com", "not_absolute_url"),
        ("https://shop.contoso.com/rest/default", "includes_api_path"),
        ("https://shop.contoso.com/V1", "includes_api_path"),
        ("https://na1.api.commerce.adobe.com", "saas_tenant_missing"),
        ("https://na1.api.commerce.adobe.com/a/b", "saas_tenant_missing"),
        ("http://na1.api.commerce.adobe.com/t", "unsupported_scheme"),
        ("https://shop.contoso.com/a%2F..", "invalid_path"),
        ("https://shop.contoso.com/../admin", "invalid_path"),
        ("https://shop.contoso.com?x", "query_not_allowed"),
        ("https://a:b@shop.contoso.com", "user_info_not_allowed"),
    ])
    func rejectsBaseURLsTheClientCouldNotUse(input: String, code: String) {
        #expect(throws: (any Error).self) { try CommerceBaseURL.parse(input) }
        do { _ = try CommerceBaseURL.parse(input) } catch { #expect(error.code == code) }
    }
}

@Suite struct TenantIDTests {
    @Test(arguments: ["contoso", "contoso-eu-2", "a", "0abc", String(repeating: "a", count: 63)])
    func acceptsSlugs(text: String) {
        #expect(TenantID(text)?.rawValue == text)
    }

    @Test func acceptsUUIDsInAnyCaseAndStoresThemLowercased() {
        #expect(TenantID("3F2504E0-4F89-11D3-9A0C-0305E82C3301")?.rawValue == "3f2504e0-4f89-11d3-9a0c-0305e82c3301")
    }

    @Test(arguments: ["", "../etc", "..", "a/b", "Contoso", "-a", "a-", "a_b", "a b", "a%2Fb", "ä", String(repeating: "a", count: 64), "contoso\n"])
    func rejectsAnythingElse(text: String) {
        #expect(TenantID(text) == nil)
    }
}
