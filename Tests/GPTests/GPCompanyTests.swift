import Testing
@testable import GP

@Suite struct GPCompanyTests {
    struct ParseCase: Sendable, CustomTestStringConvertible {
        let url: String
        let origin: String
        let servicePath: String
        let tenant: String
        let company: String
        var testDescription: String { company }
    }

    static let parseCases: [ParseCase] = [
        .init(url: "https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(Contoso%2C%20Inc.)/",
              origin: "https://gp.contoso.local", servicePath: "/GPService", tenant: "DefaultTenant", company: "Contoso, Inc."),
        .init(url: "https://gp:8443/gpservice/Tenants%28DefaultTenant%29/Companies%28COMPA%C3%91IA%20DE%20PRUEBA%29",
              origin: "https://gp:8443", servicePath: "/gpservice", tenant: "DefaultTenant", company: "COMPAÑIA DE PRUEBA"),
        .init(url: "https://gp/GPService/Tenants(DefaultTenant)/Companies(Transcontinental%20Capital%20Corportation%20(Bermuda)%20LTD)/Sales/Customers",
              origin: "https://gp", servicePath: "/GPService", tenant: "DefaultTenant",
              company: "Transcontinental Capital Corportation (Bermuda) LTD"),
        .init(url: "https://gp/GPService/Tenants(Tenant%20Two)/Companies(Fabrikam, Inc.)/",
              origin: "https://gp", servicePath: "/GPService", tenant: "Tenant Two", company: "Fabrikam, Inc."),
        .init(url: "  http://127.0.0.1:9000/GPService/tenants(DefaultTenant)/companies(Fabrikam)?x=1 ",
              origin: "http://127.0.0.1:9000", servicePath: "/GPService", tenant: "DefaultTenant", company: "Fabrikam"),
    ]

    @Test(arguments: parseCases)
    func aCompanyURLIsTakenApartIntoDecodedTenantAndCompany(_ c: ParseCase) throws {
        let company = try GPCompany(url: c.url)
        #expect(company.origin == c.origin)
        #expect(company.servicePath == c.servicePath)
        #expect(company.tenant == c.tenant)
        #expect(company.name == c.company)
    }

    @Test(arguments: [
        "gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(X)",
        "ftp://gp/GPService/Tenants(DefaultTenant)/Companies(X)",
        "https://gp/GPService/Companies(X)",
        "https://gp/GPService/Tenants(DefaultTenant)/",
        "https://user:pw@gp/GPService/Tenants(DefaultTenant)/Companies(X)",
        "https://gp/GPService/Tenants()/Companies(X)",
    ])
    func anUnusableCompanyURLIsRejectedWithAPlainReason(_ url: String) {
        #expect(throws: GPError.self) { try GPCompany(url: url) }
        do {
            _ = try GPCompany(url: url)
        } catch {
            #expect(error.code == "gp_invalid_company_url")
            #expect(!error.message.contains("pw"))
        }
    }

    struct URLCase: Sendable, CustomTestStringConvertible {
        let company: String
        let path: String
        let keys: [String]
        let expected: String
        var testDescription: String { expected }
    }

    static let urlCases: [URLCase] = [
        .init(company: "Fabrikam, Inc.", path: "Inventory/Items", keys: [],
              expected: "https://gp/GPService/Tenants(DefaultTenant)/Companies(Fabrikam%2C%20Inc.)/Inventory/Items"),
        .init(company: "COMPAÑIA DE PRUEBA", path: "Sales/Customers", keys: ["AARONFIT0001"],
              expected: "https://gp/GPService/Tenants(DefaultTenant)/Companies(COMPA%C3%91IA%20DE%20PRUEBA)/Sales/Customers(AARONFIT0001)"),
        .init(company: "Transcontinental (Bermuda) LTD", path: "Inventory/Items", keys: ["128 SDRAM"],
              expected: "https://gp/GPService/Tenants(DefaultTenant)/Companies(Transcontinental%20%28Bermuda%29%20LTD)/Inventory/Items(128%20SDRAM)"),
        .init(company: "Fabrikam", path: "Sales/CustomerAddresses", keys: ["AARON;1", "PRIMARY"],
              expected: "https://gp/GPService/Tenants(DefaultTenant)/Companies(Fabrikam)/Sales/CustomerAddresses(AARON%3B1;PRIMARY)"),
        .init(company: "Fabrikam", path: "Inventory/Items", keys: ["A/B(C)%&?#+"],
              expected: "https://gp/GPService/Tenants(DefaultTenant)/Companies(Fabrikam)/Inventory/Items(A%2FB%28C%29%25%26%3F%23%2B)"),
        .init(company: "Café Ünïcode 株式会社", path: "Inventory/Items", keys: [],
              expected: "https://gp/GPService/Tenants(DefaultTenant)/Companies(Caf%C3%A9%20%C3%9Cn%C3%AFcode%20%E6%A0%AA%E5%BC%8F%E4%BC%9A%E7%A4%BE)/Inventory/Items"),
    ]

    @Test(arguments: urlCases)
    func resourceURLsEncodeNamesAndEachKeyPartOnItsOwn(_ c: URLCase) {
        let company = GPCompany(origin: "https://gp", name: c.company)
        #expect(company.resourceURL(c.path, keys: c.keys) == c.expected)
    }

    @Test func aBuiltURLParsesBackToTheSameCompany() throws {
        for name in ["Fabrikam, Inc.", "COMPAÑIA DE PRUEBA", "A (B) C", "x;y/z%"] {
            let company = GPCompany(origin: "https://gp:443", name: name)
            let again = try GPCompany(url: company.companyURL())
            #expect(again == company)
        }
    }

    @Test func settingsChangeSuffixCommasAndQuery() {
        var settings = GPSettings()
        settings.jsonSuffix = true
        settings.literalCommas = true
        let company = GPCompany(origin: "https://gp", name: "Fabrikam, Inc.")
        let url = company.resourceURL("Sales/Customers", keys: ["AARON"], query: [("modifiedSince", "2024-05-01"), ("a b", "c&d")],
                                      settings: settings)
        #expect(url == "https://gp/GPService/Tenants(DefaultTenant)/Companies(Fabrikam,%20Inc.)/Sales/Customers(AARON).json?modifiedSince=2024-05-01&a%20b=c%26d")
    }

    @Test func theHelpURLIsAtTenantLevel() {
        let company = GPCompany(origin: "https://gp", tenant: "Default Tenant", name: "X")
        #expect(company.helpURL() == "https://gp/GPService/Tenants(Default%20Tenant)/help")
    }
}
