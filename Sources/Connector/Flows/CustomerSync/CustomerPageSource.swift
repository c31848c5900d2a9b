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
public protocol CustomerPageSource: GPPageSource where Page == CustomerPage {}
