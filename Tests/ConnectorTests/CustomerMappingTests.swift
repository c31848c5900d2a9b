import Commerce
import Connector
import Foundation
import GP
import Testing

@Suite struct CustomerMappingTests {
    static let addresses = [
        GPCustomerAddress(customerId: "AARONFIT0001", addressId: "BILLING", contactPerson: "Smith, John", line1: "1 Main St",
                          line2: "Suite 4", city: "Chicago", state: "il", postalCode: "60601", countryRegion: "USA",
                          phone1: "31255501230000", email: "ap@aaronfitz.example"),
        GPCustomerAddress(customerId: "AARONFIT0001", addressId: "PRIMARY", contactPerson: "Mary Ann Jones", line1: "9 Lake Rd",
                          city: "Toronto", state: "Ontario", postalCode: "M5H", countryRegion: "Canada"),
        GPCustomerAddress(customerId: "AARONFIT0001", addressId: "NOCITY", line1: "Somewhere"),
        GPCustomerAddress(customerId: "OTHER", addressId: "PRIMARY", line1: "x", city: "y"),
    ]

    static func customer(email: String? = "  Orders@AaronFitz.Example ", active: Bool = true, hold: Bool = false,
                         classId: String? = "USA-ILMO-T1", priceLevel: String? = "RETAIL") -> GPCustomer {
        GPCustomer(customerId: "AARONFIT0001", name: "Aaron Fitz Electrical", classId: classId, isOnHold: hold,
                   isActive: active, priceLevel: priceLevel, defaultAddressId: "PRIMARY", email: email)
    }

    @Test func mapsACustomerWithAddressesGroupAndGPId() throws {
        var settings = CustomerMappingSettings()
        settings.groupByClass = ["usa-ilmo-t1": 3]
        let mapped = try CustomerMapping.map(customer: Self.customer(), addresses: Self.addresses, settings: settings).get()
        let c = mapped.customer
        #expect(mapped.email == "orders@aaronfitz.example")
        #expect(c.email == "orders@aaronfitz.example")
        #expect(c.firstname == "Mary Ann")
        #expect(c.lastname == "Jones")
        #expect(c.groupId == 3)
        #expect(c.websiteId == 1)
        #expect(c.customAttributes?[code: "gp_customer_id"] == "AARONFIT0001")
        let addresses = try #require(c.addresses)
        #expect(addresses.count == 2)  // the one without a city is dropped, OTHER's is not ours
        let billing = addresses[0], primary = addresses[1]
        #expect(billing.firstname == "John" && billing.lastname == "Smith")
        #expect(billing.street == ["1 Main St", "Suite 4"])
        #expect(billing.countryId == "US")
        #expect(billing.region?.regionCode == "IL")
        #expect(billing.telephone == "3125550123")
        #expect(billing.company == "Aaron Fitz Electrical")
        #expect(billing.defaultBilling == false)
        #expect(primary.countryId == "CA")
        #expect(primary.region?.regionCode == nil && primary.region?.region == "Ontario")
        #expect(primary.defaultBilling == true && primary.defaultShipping == true)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var customer: GPCustomer
        var settings = CustomerMappingSettings()
        var addresses: [GPCustomerAddress] = CustomerMappingTests.addresses
        var skip: String?
        var group: Int?
        var email: String?
        var testDescription: String { name }
    }

    static func settings(_ edit: (inout CustomerMappingSettings) -> Void) -> CustomerMappingSettings {
        var s = CustomerMappingSettings()
        edit(&s)
        return s
    }

    static let cases: [Case] = [
        Case(name: "no e-mail anywhere is skipped with the reason", customer: customer(email: nil), addresses: [], skip: "no_email"),
        Case(name: "falls back to the default address's e-mail", customer: customer(email: nil),
             addresses: [GPCustomerAddress(customerId: "AARONFIT0001", addressId: "PRIMARY", line1: "a", city: "b", email: "P@X.example")],
             email: "p@x.example"),
        Case(name: "then to any address's e-mail", customer: customer(email: " "), email: "ap@aaronfitz.example"),
        Case(name: "an e-mail Commerce would refuse is skipped", customer: customer(email: "not an email"), skip: "invalid_email"),
        Case(name: "inactive skipped by default", customer: customer(active: false), skip: "customer_inactive"),
        Case(name: "inactive synced when the policy says so", customer: customer(active: false),
             settings: settings { $0.inactive = .sync }, email: "orders@aaronfitz.example"),
        Case(name: "on hold synced by default", customer: customer(hold: true), email: "orders@aaronfitz.example"),
        Case(name: "on hold skipped when the policy says so", customer: customer(hold: true),
             settings: settings { $0.onHold = .skip }, skip: "customer_on_hold"),
        Case(name: "group by price level when the class has none", customer: customer(),
             settings: settings { $0.groupByPriceLevel = ["RETAIL": 5] }, group: 5),
        Case(name: "class wins over price level", customer: customer(),
             settings: settings { $0.groupByPriceLevel = ["RETAIL": 5]; $0.groupByClass = ["USA-ILMO-T1": 2] }, group: 2),
        Case(name: "default group otherwise", customer: customer(classId: nil, priceLevel: nil),
             settings: settings { $0.defaultGroupId = 7 }, group: 7),
    ]

    @Test("customer mapping decisions", arguments: cases)
    func decisions(_ c: Case) {
        switch CustomerMapping.map(customer: c.customer, addresses: c.addresses, settings: c.settings) {
        case .failure(let reason):
            #expect(reason.code == c.skip)
            #expect(reason.message.contains("AARONFIT0001"))
        case .success(let mapped):
            #expect(c.skip == nil)
            if let email = c.email { #expect(mapped.email == email) }
            if let group = c.group { #expect(mapped.customer.groupId == group) }
        }
    }

    @Test(arguments: [
        ("Smith, John", "John", "Smith"), ("Mary Ann Jones", "Mary Ann", "Jones"), ("Cher", "Cher", "Cher"),
        ("  Jean   Luc  Picard ", "Jean Luc", "Picard"), (", Solo", "Solo", "Solo"),
    ])
    func namesSplitSensibly(_ t: (String, String, String)) throws {
        let n = try #require(PersonName(splitting: t.0))
        #expect(n.first == t.1)
        #expect(n.last == t.2)
    }

    @Test func anEmptyNameIsNoName() {
        #expect(PersonName(splitting: "   ") == nil)
        #expect(PersonName(splitting: " , ") == nil)
    }

    @Test func theHashChangesWithAddressesButNotWithTheCommerceId() throws {
        let a = try CustomerMapping.map(customer: Self.customer(), addresses: Self.addresses, settings: .init()).get()
        var withID = a.customer
        withID.id = 42
        #expect(CustomerMapping.contentHash(withID) == a.contentHash)
        let b = try CustomerMapping.map(customer: Self.customer(), addresses: Array(Self.addresses.prefix(1)), settings: .init()).get()
        #expect(a.contentHash != b.contentHash)
    }

    @Test func matchPrefersTheStoredMappingThenEmailThenCreate() {
        var found = CommerceCustomer(email: "x@y.example", firstname: "a", lastname: "b")
        found.id = 9
        #expect(CustomerMatch.decide(gpCustomerId: "C1", storedTargetKey: "4", foundByEmail: found, gpIdAttributeCode: "gp_customer_id") == .updateMapped(id: 4))
        #expect(CustomerMatch.decide(gpCustomerId: "C1", storedTargetKey: nil, foundByEmail: found, gpIdAttributeCode: "gp_customer_id") == .adoptByEmail(id: 9))
        #expect(CustomerMatch.decide(gpCustomerId: "C1", storedTargetKey: nil, foundByEmail: nil, gpIdAttributeCode: "gp_customer_id") == .create)
        found.customAttributes = [CommerceCustomAttribute("gp_customer_id", "c1 ")]
        #expect(CustomerMatch.decide(gpCustomerId: "C1", storedTargetKey: nil, foundByEmail: found, gpIdAttributeCode: "gp_customer_id") == .adoptByEmail(id: 9))
        found.customAttributes = [CommerceCustomAttribute("gp_customer_id", "OTHER")]
        guard case .conflict(let reason) = CustomerMatch.decide(gpCustomerId: "C1", storedTargetKey: nil, foundByEmail: found,
                                                                gpIdAttributeCode: "gp_customer_id") else {
            Issue.record("expected a conflict"); return
        }
        #expect(reason.contains("OTHER"))
    }
}
