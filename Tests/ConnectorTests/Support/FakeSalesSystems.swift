import Commerce
import Connector
import Foundation
import GP

/// Commerce orders and invoices from memory; `failure` makes every call throw it.
final class MemorySales: SalesSource, @unchecked Sendable {
    var orders: [String: CommerceOrder] = [:]
    var invoicesByOrder: [Int: [CommerceInvoice]] = [:]
    var attributes: [Int: String] = [:]
    var failure: CommerceError?

    func order(incrementId: String) throws -> CommerceOrder? {
        if let failure { throw failure }
        return orders[incrementId]
    }

    func invoice(id: Int) throws -> CommerceInvoice? {
        if let failure { throw failure }
        return invoicesByOrder.values.joined().first { $0.entityId == id }
    }

    func invoices(orderId: Int) throws -> [CommerceInvoice] {
        if let failure { throw failure }
        return invoicesByOrder[orderId] ?? []
    }

    func customerAttribute(customerId: Int, attributeCode: String) throws -> String? {
        if let failure { throw failure }
        return attributes[customerId]
    }

    /// An order (and, with `invoiced`, its invoice) of 90 + 5 freight + 5 tax = 100.
    func add(_ incrementId: String, entityId: Int, customerId: Int? = nil, email: String = "buyer@example.com",
             invoiced: Bool = true) {
        let json = """
        {"entity_id": \(entityId), "increment_id": "\(incrementId)", "customer_id": \(customerId.map(String.init) ?? "null"),
         "customer_email": "\(email)", "customer_is_guest": \(customerId == nil ? 1 : 0), "order_currency_code": "USD",
         "base_currency_code": "USD", "subtotal": 100, "discount_amount": -10, "shipping_amount": 5, "tax_amount": 5,
         "grand_total": 100, "base_grand_total": 100, "created_at": "2026-11-20 10:00:00", "items": []}
        """
        let order = try! JSONDecoder.commerce.decode(CommerceOrder.self, from: Data(json.utf8))
        orders[incrementId] = order
        if invoiced {
            let inv = """
            {"entity_id": \(entityId + 1000), "increment_id": "9\(incrementId)", "order_id": \(entityId), "subtotal": 100,
             "discount_amount": -10, "shipping_amount": 5, "tax_amount": 5, "grand_total": 100, "base_grand_total": 100,
             "created_at": "2026-11-21 08:00:00"}
            """
            invoicesByOrder[entityId] = [try! JSONDecoder.commerce.decode(CommerceInvoice.self, from: Data(inv.utf8))]
        }
    }
}

/// GP's receivables table in memory with its uniqueness rule; `onHold` customers are refused,
/// `failNext` errors are thrown first, and `loseAnswer` stores the document but throws a timeout
/// (the answer lost on the way back).
final class MemoryGP: ReceivablesPoster, @unchecked Sendable {
    var documents: [String: ReceivablesInvoice] = [:]
    var onHold: Set<String> = []
    var failNext: [GPError] = []
    var loseAnswer = false
    private(set) var creates = 0

    func create(_ invoice: ReceivablesInvoice) throws(GPError) {
        creates += 1
        if !failNext.isEmpty { throw failNext.removeFirst() }
        if documents[invoice.documentNumber] != nil {
            throw .duplicateDocument(documentNumber: invoice.documentNumber, serverMessage: "already exists")
        }
        if onHold.contains(invoice.customerId) { throw .customerOnHold(customerId: invoice.customerId, serverMessage: "") }
        documents[invoice.documentNumber] = invoice
        if loseAnswer { throw .timeout(seconds: 120) }
    }

    func document(number: String) throws(GPError) -> ReceivablesInvoice? { documents[number] }
}
