import Foundation

extension CommerceWebhookEvent {
    /// Reads the shapes Commerce sends:
    /// - observer webhooks `{"eventName": "sales_order_place_before", "data": {"order": {…}}}`;
    /// - plugin webhooks: the method's arguments and result, e.g. `{"order": {…}}`,
    ///   `{"entity": {…}}` (invoice repository) or `{"result": {…}}`, with or without `eventName`;
    /// - I/O Events envelopes `{"type": "com.adobe.commerce.observer.…", "data": {"value": {…}}}`.
    ///
    /// `invoicePaidState` is the invoice `state` meaning "paid" (2 in core; UNCONFIRMED, hence a
    /// setting). An unknown event is `.unknown`, never an error: it is acknowledged and ignored.
    public static func parse(_ body: some Collection<UInt8>, invoicePaidState: Int = 2) throws(CommerceWebhookError) -> CommerceWebhookEvent {
        let root: [String: Any]
        if let kept = WebhookJSONScanner.keptMembers(of: Array(body)) {
            // The common case: only the members read below, the rest checked and skipped.
            root = kept
        } else {
            let json: Any
            do { json = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) } catch {
                throw .malformedPayload("not JSON")
            }
            guard let object = json as? [String: Any] else { throw .malformedPayload("not a JSON object") }
            root = object
        }
        return try event(from: root, invoicePaidState: invoicePaidState)
    }

    /// The event in a parsed body (`JSONSerialization`'s values, or the scanner's subset of them).
    static func event(from root: [String: Any], invoicePaidState: Int) throws(CommerceWebhookError) -> CommerceWebhookEvent {
        let data = root["data"] as? [String: Any]
        let rawName = (root["eventName"] as? String) ?? (root["event_name"] as? String) ?? (root["type"] as? String)
        let name = rawName.map(normalise)
        let kind: Kind
        var entity: [String: Any]?
        if let name, orderEvents.contains(name) {
            kind = .orderPlaced
            entity = (data?["order"] ?? root["order"] ?? data?["value"] ?? root["result"]) as? [String: Any]
        } else if let name, invoiceEvents.contains(name) || invoicePaidEvents.contains(name) {
            entity = (data?["invoice"] ?? root["invoice"] ?? data?["value"] ?? root["entity"] ?? root["result"]) as? [String: Any]
            let paid = invoicePaidEvents.contains(name) || (entity.flatMap { int($0["state"]) } == invoicePaidState)
            kind = paid ? .invoicePaid : .invoiceSaved
        } else if rawName == nil, let order = (data?["order"] ?? root["order"]) as? [String: Any] {
            // A plugin payload configured without an event name.
            kind = .orderPlaced
            entity = order
        } else if rawName == nil, let invoice = (data?["invoice"] ?? root["invoice"]) as? [String: Any] {
            kind = int(invoice["state"]) == invoicePaidState ? .invoicePaid : .invoiceSaved
            entity = invoice
        } else {
            return CommerceWebhookEvent(kind: .unknown, eventName: rawName ?? "unnamed")
        }

        let eventName = rawName ?? "plugin"
        guard let entity, let incrementId = string(entity["increment_id"]), !incrementId.isEmpty else {
            throw .missingIncrementId(eventName: eventName)
        }
        var event = CommerceWebhookEvent(kind: kind, eventName: eventName, incrementId: incrementId,
                                         entityId: int(entity["entity_id"]))
        if kind != .orderPlaced {
            event.orderEntityId = int(entity["order_id"])
            let order = entity["order"] as? [String: Any]
            event.orderIncrementId = string(entity["order_increment_id"]) ?? order.flatMap { string($0["increment_id"]) }
        }
        return event
    }

    /// `com.adobe.commerce.observer.sales_order_save_after` → `sales_order_save_after`;
    /// `plugin.magento.sales.api.order_management.place` → `sales.api.order_management.place`.
    static func normalise(_ name: String) -> String {
        var n = name.lowercased()
        for prefix in ["com.adobe.commerce.", "observer.", "plugin.", "magento."] where n.hasPrefix(prefix) {
            n.removeFirst(prefix.count)
        }
        return n
    }

    static let orderEvents: Set<String> = [
        "sales_order_place_before", "sales_order_place_after",
        "sales_order_save_after", "sales_order_save_commit_after",
        "checkout_submit_all_after",
        "sales.api.order_management.place", "sales.api.order_repository.save",
    ]

    static let invoiceEvents: Set<String> = [
        "sales_order_invoice_save_after", "sales_order_invoice_save_commit_after",
        "sales_order_invoice_register",
        "sales.api.invoice_repository.save",
    ]

    static let invoicePaidEvents: Set<String> = ["sales_order_invoice_pay"]

    private static func string(_ value: Any?) -> String? {
        switch value {
        case let s as String: s
        case let n as NSNumber: n.stringValue
        default: nil
        }
    }

    private static func int(_ value: Any?) -> Int? {
        switch value {
        case let n as NSNumber: n.intValue
        case let s as String: Int(s)
        default: nil
        }
    }
}
