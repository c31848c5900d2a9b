import GP

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
