import Commerce

/// `SalesSource` over `CommerceClient`.
public struct CommerceSalesSource: SalesSource {
    public let client: CommerceClient

    public init(client: CommerceClient) { self.client = client }

    public func order(incrementId: String) throws -> CommerceOrder? { try client.order(incrementId: incrementId) }

    public func invoice(id: Int) throws -> CommerceInvoice? { try client.invoice(id: id) }

    public func invoices(orderId: Int) throws -> [CommerceInvoice] {
        try client.searchInvoices(SearchCriteria().filter("order_id", .eq, String(orderId)).sorted(by: "entity_id")).items
    }

    public func customerAttribute(customerId: Int, attributeCode: String) throws -> String? {
        try client.customer(id: customerId)?.customAttributes?[code: attributeCode]
    }
}
