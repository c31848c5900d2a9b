import Commerce
import GP

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

/// Where receivables documents go. Throws `GPError`.
public protocol ReceivablesPoster {
    func create(_ invoice: ReceivablesInvoice) throws(GPError)
    /// The document GP holds under this number; nil when none.
    func document(number: String) throws(GPError) -> ReceivablesInvoice?
}

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

/// `ReceivablesPoster` over `GPClient`.
public struct GPReceivablesPoster: ReceivablesPoster {
    public let client: GPClient

    public init(client: GPClient) { self.client = client }

    public func create(_ invoice: ReceivablesInvoice) throws(GPError) { try client.createReceivablesInvoice(invoice) }

    public func document(number: String) throws(GPError) -> ReceivablesInvoice? {
        try client.receivablesInvoice(documentNumber: number)
    }
}
