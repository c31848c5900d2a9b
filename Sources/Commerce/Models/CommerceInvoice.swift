import Foundation

/// An invoice (`sales-data-invoice-interface`). `state` 1 open, 2 paid, 3 canceled (UNCONFIRMED;
/// see `CommerceSettings.invoicePaidState`).
public struct CommerceInvoice: Codable, Sendable, Equatable {
    public struct Item: Codable, Sendable, Equatable {
        public var entityId: Int?
        public var orderItemId: Int?
        public var sku: String
        public var name: String?
        public var qty: Decimal?
        public var price: Decimal?
        public var rowTotal: Decimal?
        public var taxAmount: Decimal?
    }

    public var entityId: Int
    public var incrementId: String?
    public var orderId: Int
    public var state: Int?
    public var orderCurrencyCode: String?
    public var baseCurrencyCode: String?
    public var grandTotal: Decimal?
    public var baseGrandTotal: Decimal?
    public var subtotal: Decimal?
    public var taxAmount: Decimal?
    public var shippingAmount: Decimal?
    public var discountAmount: Decimal?
    public var totalQty: Decimal?
    public var createdAt: String?
    public var updatedAt: String?
    public var items: [Item]?
}
