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
