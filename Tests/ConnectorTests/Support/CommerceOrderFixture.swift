import Commerce
import Foundation

extension JSONDecoder {
    /// Commerce sends snake_case keys.
    static var commerce: JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }
}

/// An order and one of its invoices as Commerce sends them.
struct CommerceOrderFixture: Decodable {
    var order: CommerceOrder
    var invoice: CommerceInvoice

    static let json = """
    {"order": {"entity_id": 7, "increment_id": "000000777", "customer_id": 12, "customer_email": "Buyer@Example.com",
               "customer_is_guest": 0, "order_currency_code": "USD", "base_currency_code": "USD",
               "subtotal": 60.00, "discount_amount": -5.00, "shipping_amount": 0, "tax_amount": 0, "grand_total": 55.00,
               "base_grand_total": 55.00, "created_at": "2026-11-24 10:00:00", "items": []},
     "invoice": {"entity_id": 31, "increment_id": "000000031", "order_id": 7, "order_currency_code": "USD",
                 "base_currency_code": "USD", "subtotal": 50.00, "discount_amount": -5.00, "shipping_amount": 5.00,
                 "tax_amount": 0, "grand_total": 50.00, "base_grand_total": 50.00, "created_at": "2026-11-25 09:00:00"}}
    """
}
