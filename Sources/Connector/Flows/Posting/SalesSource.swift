import Commerce

/// Where the posting step reads the truth about an order (the webhook is only a hint).
/// Adapters throw their client's error (`CommerceError`); the step decides retry or park.
public protocol SalesSource {
    /// The order by increment id; nil when Commerce does not have it (yet).
    func order(incrementId: String) throws -> CommerceOrder?
    /// One invoice by entity id; nil when there is none.
    func invoice(id: Int) throws -> CommerceInvoice?
    /// The order's invoices, oldest first.
    func invoices(orderId: Int) throws -> [CommerceInvoice]
    /// The value of `attributeCode` on a Commerce customer (the GP customer id); nil when unset.
    func customerAttribute(customerId: Int, attributeCode: String) throws -> String?
}
