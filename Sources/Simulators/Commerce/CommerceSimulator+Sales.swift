import Foundation

/// A line of a simulated checkout. `parentSku` makes it a configurable: a parent line plus a child line.
public struct CommerceSimOrderLine: Sendable {
    public var sku: String
    public var qty: Double
    public var price: Double
    public var name: String?
    public var parentSku: String?

    public init(sku: String, qty: Double, price: Double, name: String? = nil, parentSku: String? = nil) {
        self.sku = sku
        self.qty = qty
        self.price = price
        self.name = name
        self.parentSku = parentSku
    }
}

/// What a simulated checkout did: the order when placed, and the webhook outcome as JSON.
public struct CommerceSimPlacement: @unchecked Sendable {
    public var placed: Bool
    public var order: [String: Any]?
    public var webhook: [String: Any]?
    /// The message the shopper sees when a required hook aborted the checkout.
    public var errorMessage: String?
}

extension CommerceSimulator {
    /// Places an order like a checkout: fires the order webhook first (a `…place_before` hook can
    /// abort it) and stores the order only if Commerce would carry on.
    public func placeOrder(email: String, firstname: String = "Sim", lastname: String = "Shopper",
                           lines: [CommerceSimOrderLine], currency: String = "USD",
                           shipping: Double = 0, tax: Double = 0, discount: Double = 0,
                           incrementId: String? = nil) -> CommerceSimPlacement {
        let now = Self.timestamp()
        var order: [String: Any] = lock.withLock {
            let id = nextOrderId
            nextOrderId += 1
            var items: [[String: Any]] = []
            for line in lines {
                var parentId: Int?
                if let parent = line.parentSku {
                    parentId = nextOrderItemId
                    items.append(Self.orderItem(id: nextOrderItemId, orderId: id, sku: line.sku, name: line.name ?? parent,
                                                type: "configurable", qty: line.qty, price: line.price, parentId: nil))
                    nextOrderItemId += 1
                }
                items.append(Self.orderItem(id: nextOrderItemId, orderId: id, sku: line.sku, name: line.name ?? line.sku,
                                            type: "simple", qty: line.qty, price: parentId == nil ? line.price : 0,
                                            parentId: parentId))
                nextOrderItemId += 1
            }
            let customer = customers.values.first { ($0["email"] as? String)?.lowercased() == email.lowercased() }
            let subtotal = Self.money(lines.reduce(0) { $0 + $1.qty * $1.price })
            let grand = Self.money(subtotal + shipping + tax - discount)
            return [
                "entity_id": id, "increment_id": incrementId ?? config.incrementPrefix + String(format: "%09d", id),
                "customer_id": customer?["id"] ?? NSNull(), "customer_email": email,
                "customer_firstname": firstname, "customer_lastname": lastname,
                "customer_is_guest": customer == nil ? 1 : 0, "store_id": 1,
                "state": "new", "status": "pending",
                "order_currency_code": currency, "base_currency_code": currency,
                "subtotal": subtotal, "tax_amount": tax, "shipping_amount": shipping, "discount_amount": discount == 0 ? 0 : -discount,
                "grand_total": grand, "base_grand_total": grand,
                "total_paid": 0, "total_invoiced": 0, "total_refunded": 0,
                "created_at": now, "updated_at": now, "items": items,
                "billing_address": ["firstname": firstname, "lastname": lastname, "email": email,
                                    "street": ["1 Sim Street"], "city": "Austin", "postcode": "78701",
                                    "country_id": "US", "telephone": "555-0100", "address_type": "billing"],
                "payment": ["method": "checkmo"], "status_histories": [],
            ]
        }
        let outcome = emitter.emit(eventName: { $0.orderEventName }, key: "order", entity: order)
        if let outcome, !outcome.proceed {
            let message = outcome.exceptionMessage ?? webhook?.fallbackErrorMessage ?? "Webhook failed"
            return CommerceSimPlacement(placed: false, order: nil, webhook: outcome.json, errorMessage: message)
        }
        order["state"] = "new"
        lock.withLock { orders[order["entity_id"] as! Int] = order }
        return CommerceSimPlacement(placed: true, order: order, webhook: outcome?.json, errorMessage: nil)
    }

    /// Invoices (captures) a whole order: state 2 (paid), the order moves to `processing`,
    /// then fires the invoice webhook (after the save, so it cannot abort it).
    public func invoiceOrder(entityId: Int) -> (invoice: [String: Any]?, webhook: [String: Any]?) {
        let now = Self.timestamp()
        let invoice: [String: Any]? = lock.withLock {
            guard var order = orders[entityId] else { return nil }
            let id = nextInvoiceId
            nextInvoiceId += 1
            let items = (order["items"] as? [[String: Any]] ?? []).filter { $0["parent_item_id"] is NSNull || $0["price"] as? Double != 0 }
            let invoice: [String: Any] = [
                "entity_id": id, "increment_id": config.incrementPrefix + String(format: "%09d", id),
                "order_id": entityId, "state": 2,
                "order_currency_code": order["order_currency_code"]!, "base_currency_code": order["base_currency_code"]!,
                "grand_total": order["grand_total"]!, "base_grand_total": order["base_grand_total"]!,
                "subtotal": order["subtotal"]!, "tax_amount": order["tax_amount"]!,
                "shipping_amount": order["shipping_amount"]!, "discount_amount": order["discount_amount"]!,
                "total_qty": items.reduce(0.0) { $0 + ($1["qty_ordered"] as? Double ?? 0) },
                "created_at": now, "updated_at": now, "comments": [],
                "items": items.map { ["entity_id": $0["item_id"]!, "order_item_id": $0["item_id"]!, "sku": $0["sku"]!,
                                      "name": $0["name"]!, "qty": $0["qty_ordered"]!, "price": $0["price"]!,
                                      "row_total": $0["row_total"]!, "tax_amount": 0] },
            ]
            invoices[id] = invoice
            order["state"] = "processing"
            order["status"] = "processing"
            order["total_paid"] = order["grand_total"]
            order["total_invoiced"] = order["grand_total"]
            order["updated_at"] = now
            orders[entityId] = order
            return invoice
        }
        guard let invoice else { return (nil, nil) }
        let outcome = emitter.emit(eventName: { $0.invoiceEventName }, key: "invoice", entity: invoice)
        return (invoice, outcome?.json)
    }

    /// Fires the invoice webhook of a stored invoice again, as Commerce does when it retries a hook
    /// whose answer it did not get (the receiver sees the same event twice). nil when the invoice
    /// does not exist or no webhook is configured.
    public func redeliverInvoiceWebhook(invoiceId: Int) -> [String: Any]? {
        guard let invoice = lock.withLock({ invoices[invoiceId] }) else { return nil }
        return emitter.emit(eventName: { $0.invoiceEventName }, key: "invoice", entity: invoice)?.json
    }

    /// Amounts as Magento stores them: 4 decimals in the database, 2 in practice.
    static func money(_ amount: Double) -> Double { (amount * 100).rounded() / 100 }

    static func orderItem(id: Int, orderId: Int, sku: String, name: String, type: String,
                          qty: Double, price: Double, parentId: Int?) -> [String: Any] {
        [
            "item_id": id, "order_id": orderId, "parent_item_id": parentId ?? NSNull(), "sku": sku, "name": name,
            "product_type": type, "qty_ordered": qty, "qty_invoiced": 0, "qty_shipped": 0, "qty_refunded": 0,
            "price": price, "base_price": price, "row_total": money(price * qty), "base_row_total": money(price * qty),
            "tax_amount": 0, "discount_amount": 0, "price_incl_tax": price, "row_total_incl_tax": money(price * qty),
        ]
    }
}
