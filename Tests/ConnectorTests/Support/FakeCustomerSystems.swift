import Commerce
import Connector
import Foundation
import GP

final class ListCustomerSource: CustomerPageSource {
    var pages: [CustomerPage]
    var newest: GPDate?

    init(pages: [CustomerPage], newest: GPDate?) {
        self.pages = pages
        self.newest = newest
    }

    func readPages(modifiedSince: GPDate?, onPage: (CustomerPage) throws -> Void) throws -> GPDate? {
        for page in pages { try onPage(page) }
        return newest
    }
}

/// Commerce accounts in memory, unique by e-mail like Magento per website.
final class MemoryCommerceCustomers: CustomerWriter {
    var accounts: [Int: CommerceCustomer] = [:]
    var nextID = 1
    private(set) var writes = 0

    func find(email: String, websiteId: Int) throws -> CommerceCustomer? {
        accounts.values.first { $0.email.lowercased() == email.lowercased() }
    }

    func create(_ customer: CommerceCustomer) throws -> CustomerWriteOutcome {
        writes += 1
        if try find(email: customer.email, websiteId: 1) != nil {
            return .rejected(RecordError(code: "commerce_rejected", message: "A customer with the same email address already exists."))
        }
        var c = customer
        c.id = nextID
        accounts[nextID] = c
        nextID += 1
        return .written(id: c.id!)
    }

    func update(id: Int, _ customer: CommerceCustomer) throws -> CustomerWriteOutcome {
        writes += 1
        guard accounts[id] != nil else { return .missing }
        var c = customer
        c.id = id
        accounts[id] = c
        return .written(id: id)
    }

    func seed(email: String, gpId: String? = nil) -> Int {
        var c = CommerceCustomer(email: email, firstname: "Shop", lastname: "Account")
        c.id = nextID
        c.customAttributes = gpId.map { [CommerceCustomAttribute("gp_customer_id", $0)] }
        accounts[nextID] = c
        nextID += 1
        return c.id!
    }
}

enum CustomerFixtures {
    static func customer(_ id: String, email: String?) -> GPCustomer {
        GPCustomer(customerId: id, name: "Customer \(id)", defaultAddressId: "PRIMARY", email: email)
    }

    static func page(_ customers: [GPCustomer]) -> CustomerPage {
        CustomerPage(customers: customers, addresses: customers.map {
            GPCustomerAddress(customerId: $0.customerId, addressId: "PRIMARY", contactPerson: "Pat Doe", line1: "1 Main St",
                              city: "Chicago", state: "IL", postalCode: "60601", countryRegion: "USA")
        })
    }
}
