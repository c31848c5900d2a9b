import Commerce

/// `UpdatedSalesSource` over `CommerceClient`.
public struct CommerceUpdatedSalesSource: UpdatedSalesSource {
    public let client: CommerceClient

    public init(client: CommerceClient) { self.client = client }

    public func ordersUpdated(since: String, until: String, _ page: ([CommerceOrder]) throws -> Void) throws {
        _ = try client.ordersUpdated(since: since, until: until) { try page($0); return true }
    }

    public func invoicesUpdated(since: String, until: String, _ page: ([CommerceInvoice]) throws -> Void) throws {
        _ = try client.invoicesUpdated(since: since, until: until) { try page($0); return true }
    }

    public func order(id: Int) throws -> CommerceOrder? { try client.order(id: id) }
}
