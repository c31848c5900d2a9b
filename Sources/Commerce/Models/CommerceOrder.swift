import Foundation

/// A sales order (`sales-data-order-interface`), read-only for the connector. Configurable
/// products appear as a parent line plus a child line (`parentItemId` set on the child).
public struct CommerceOrder: Codable, Sendable, Equatable {
    public struct Item: Codable, Sendable, Equatable {
        public var itemId: Int?
        public var orderId: Int?
        public var parentItemId: Int?
        public var sku: String
        public var name: String?
        public var productType: String?
        public var qtyOrdered: Decimal?
        public var qtyInvoiced: Decimal?
        public var price: Decimal?
        public var basePrice: Decimal?
        public var rowTotal: Decimal?
        public var baseRowTotal: Decimal?
        public var taxAmount: Decimal?
        public var discountAmount: Decimal?
        public var priceInclTax: Decimal?
        public var rowTotalInclTax: Decimal?
    }

    public struct Address: Codable, Sendable, Equatable {
        public var firstname: String?
        public var lastname: String?
        public var company: String?
        public var email: String?
        public var street: [String]?
        public var city: String?
        public var region: String?
        public var regionCode: String?
        public var postcode: String?
        public var countryId: String?
        public var telephone: String?
    }

    public struct Payment: Codable, Sendable, Equatable {
        public var method: String?
    }

    public var entityId: Int
    public var incrementId: String
    public var customerId: Int?
    public var customerEmail: String?
    public var customerFirstname: String?
    public var customerLastname: String?
    public var customerIsGuest: Int?
    public var storeId: Int?
    public var state: String?
    public var status: String?
    public var orderCurrencyCode: String?
    public var baseCurrencyCode: String?
    public var grandTotal: Decimal?
    public var baseGrandTotal: Decimal?
    public var subtotal: Decimal?
    public var taxAmount: Decimal?
    public var shippingAmount: Decimal?
    public var discountAmount: Decimal?
    public var totalPaid: Decimal?
    public var totalInvoiced: Decimal?
    public var createdAt: String?
    public var updatedAt: String?
    public var items: [Item]
    public var billingAddress: Address?
    public var payment: Payment?
}
