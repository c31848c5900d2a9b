import Commerce
import GP

/// One page of GP customers with their addresses (addresses may cover more customers).
public struct CustomerPage: Sendable, Equatable {
    public var customers: [GPCustomer]
    public var addresses: [GPCustomerAddress]

    public init(customers: [GPCustomer], addresses: [GPCustomerAddress]) {
        self.customers = customers
        self.addresses = addresses
    }
}

/// Where customer pages come from (GP through `GPCustomerPageSource`, or a test's list).
public protocol CustomerPageSource {
    /// Like `ItemPageSource.readPages`: pages of customers changed on or after `modifiedSince`
    /// (all when nil); returns the newest modified date read.
    func readPages(modifiedSince: GPDate?, onPage: (CustomerPage) throws -> Void) throws -> GPDate?
}

/// Commerce customer accounts. Throws for whole-run failures (429, 5xx, network); returns
/// `.rejected` for one account Commerce refused.
public protocol CustomerWriter {
    /// The account with this e-mail on this website, if any.
    func find(email: String, websiteId: Int) throws -> CommerceCustomer?
    func create(_ customer: CommerceCustomer) throws -> CustomerWriteOutcome
    /// `.missing` when Commerce has no customer with this id (deleted there).
    func update(id: Int, _ customer: CommerceCustomer) throws -> CustomerWriteOutcome
}

public enum CustomerWriteOutcome: Sendable, Equatable {
    case written(id: Int)
    case rejected(RecordError)
    case missing
}

/// `CustomerPageSource` over `GPClient`: addresses are read whole first (an address change
/// dates only the address row), then customers page by page.
public struct GPCustomerPageSource: CustomerPageSource {
    public let client: GPClient

    public init(client: GPClient) { self.client = client }

    public func readPages(modifiedSince: GPDate?, onPage: (CustomerPage) throws -> Void) throws -> GPDate? {
        let from = modifiedSince.map { $0.adding(days: -client.settings.modifiedOverlapDays) }
        var newest: GPDate?
        var changed = Set<String>()
        func note(_ id: String, _ date: GPDate?) {
            guard let date else { return }
            if newest.map({ date > $0 }) ?? true { newest = date }
            if let from, date >= from { changed.insert(GPItemPageSource.key(id)) }
        }
        var addresses: [String: [GPCustomerAddress]] = [:]
        try client.readCustomerAddresses { page in
            for a in page {
                addresses[GPItemPageSource.key(a.customerId), default: []].append(a)
                note(a.customerId, a.modifiedDate)
            }
        }
        try client.readCustomers { page in
            var customers: [GPCustomer] = []
            for c in page {
                note(c.customerId, c.modifiedDate)
                if from == nil || c.modifiedDate == nil || changed.contains(GPItemPageSource.key(c.customerId)) { customers.append(c) }
            }
            guard !customers.isEmpty else { return }
            try onPage(CustomerPage(customers: customers,
                                    addresses: customers.flatMap { addresses[GPItemPageSource.key($0.customerId)] ?? [] }))
        }
        return newest
    }
}

/// `CustomerWriter` over `CommerceClient`.
public struct CommerceCustomerWriter: CustomerWriter {
    public let client: CommerceClient

    public init(client: CommerceClient) { self.client = client }

    public func find(email: String, websiteId: Int) throws -> CommerceCustomer? {
        try client.customer(email: email, websiteId: websiteId)
    }

    public func create(_ customer: CommerceCustomer) throws -> CustomerWriteOutcome {
        try outcome { () throws(CommerceError) in try client.createCustomer(customer) }
    }

    public func update(id: Int, _ customer: CommerceCustomer) throws -> CustomerWriteOutcome {
        var body = customer
        body.id = id
        return try outcome { () throws(CommerceError) in try client.updateCustomer(id: id, body) }
    }

    func outcome(_ call: () throws(CommerceError) -> CommerceCustomer) throws -> CustomerWriteOutcome {
        do {
            let saved = try call()
            guard let id = saved.id else {
                return .rejected(RecordError(code: "commerce_no_id", message: "Commerce saved the customer but returned no id."))
            }
            return .written(id: id)
        } catch .notFound {
            return .missing
        } catch {
            if error.isRetryable { throw error }
            return .rejected(RecordError(code: error.code, message: error.message))
        }
    }
}
