import Commerce
import Foundation

/// The Commerce document that posts: an order, or an invoice of an order. Amounts come from the
/// document that triggers posting (an invoice carries what was captured); the order supplies
/// what an invoice does not have (increment id for the GP number, customer, e-mail).
///
/// Commerce stores `discount_amount` negative (−10.00 for a 10.00 discount); `discount` here is
/// always the positive size of the discount.
public struct SalesDocument: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable { case order, invoice }

    public var kind: Kind
    /// The order's increment id: the record's source key and the GP document number's suffix.
    public var orderIncrementId: String
    /// The triggering document's own increment id (the invoice's, for an invoice).
    public var incrementId: String
    public var customerId: Int?
    public var customerEmail: String?
    public var isGuest: Bool
    public var orderCurrency: String?
    public var baseCurrency: String?
    public var subtotal: Decimal?
    public var discount: Decimal
    public var shipping: Decimal
    public var tax: Decimal
    public var grandTotal: Decimal?
    public var baseGrandTotal: Decimal?
    /// `YYYY-MM-DD HH:MM:SS` (UTC) as Commerce sends it.
    public var createdAt: String?

    public init(kind: Kind, orderIncrementId: String, incrementId: String, customerId: Int? = nil,
                customerEmail: String? = nil, isGuest: Bool = false, orderCurrency: String? = nil,
                baseCurrency: String? = nil, subtotal: Decimal?, discount: Decimal = 0, shipping: Decimal = 0,
                tax: Decimal = 0, grandTotal: Decimal?, baseGrandTotal: Decimal? = nil, createdAt: String? = nil) {
        self.kind = kind
        self.orderIncrementId = orderIncrementId
        self.incrementId = incrementId
        self.customerId = customerId
        self.customerEmail = customerEmail
        self.isGuest = isGuest
        self.orderCurrency = orderCurrency
        self.baseCurrency = baseCurrency
        self.subtotal = subtotal
        self.discount = abs(discount)
        self.shipping = shipping
        self.tax = tax
        self.grandTotal = grandTotal
        self.baseGrandTotal = baseGrandTotal
        self.createdAt = createdAt
    }

    public init(order o: CommerceOrder) {
        self.init(kind: .order, orderIncrementId: o.incrementId, incrementId: o.incrementId, customerId: o.customerId,
                  customerEmail: o.customerEmail, isGuest: (o.customerIsGuest ?? 0) != 0 || o.customerId == nil,
                  orderCurrency: o.orderCurrencyCode, baseCurrency: o.baseCurrencyCode, subtotal: o.subtotal,
                  discount: o.discountAmount ?? 0, shipping: o.shippingAmount ?? 0, tax: o.taxAmount ?? 0,
                  grandTotal: o.grandTotal, baseGrandTotal: o.baseGrandTotal, createdAt: o.createdAt)
    }

    /// An invoice's amounts with its order's identity. The date is the invoice's (when it was
    /// captured), so the GP document falls in the period the money came in.
    public init(invoice i: CommerceInvoice, order o: CommerceOrder) {
        self.init(kind: .invoice, orderIncrementId: o.incrementId, incrementId: i.incrementId ?? String(i.entityId),
                  customerId: o.customerId, customerEmail: o.customerEmail,
                  isGuest: (o.customerIsGuest ?? 0) != 0 || o.customerId == nil,
                  orderCurrency: i.orderCurrencyCode ?? o.orderCurrencyCode,
                  baseCurrency: i.baseCurrencyCode ?? o.baseCurrencyCode, subtotal: i.subtotal,
                  discount: i.discountAmount ?? 0, shipping: i.shippingAmount ?? 0, tax: i.taxAmount ?? 0,
                  grandTotal: i.grandTotal, baseGrandTotal: i.baseGrandTotal, createdAt: i.createdAt ?? o.createdAt)
    }
}
