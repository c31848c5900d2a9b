/// What an Adobe Commerce webhook told us, reduced to what the connector acts on: an order or
/// an invoice identified by its `increment_id`. The webhook is a hint; the posting job fetches
/// the entity from the REST API, which is the truth.
public struct CommerceWebhookEvent: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Order placement or an order save (observer `sales_order_place_*`,
        /// `sales_order_save_*`, plugin `…order_management.place`).
        case orderPlaced = "order_placed"
        /// Invoice saved/registered (observer `sales_order_invoice_save_*`, plugin `…invoice_repository.save`).
        case invoiceSaved = "invoice_saved"
        /// Invoice paid (observer `sales_order_invoice_pay`, or a saved invoice in the paid state).
        case invoicePaid = "invoice_paid"
        /// Anything else: acknowledged and ignored.
        case unknown
    }

    public var kind: Kind
    /// The event name as sent (`sales_order_place_before`, `plugin.magento.sales.api…`), or
    /// `"plugin"` for a plugin payload without one.
    public var eventName: String
    /// The order's or invoice's `increment_id` (nil only for `.unknown`).
    public var incrementId: String?
    /// `entity_id` when the payload has it.
    public var entityId: Int?
    /// For invoices: the order's `entity_id` and `increment_id` when present.
    public var orderEntityId: Int?
    public var orderIncrementId: String?

    public init(kind: Kind, eventName: String, incrementId: String? = nil, entityId: Int? = nil,
                orderEntityId: Int? = nil, orderIncrementId: String? = nil) {
        self.kind = kind
        self.eventName = eventName
        self.incrementId = incrementId
        self.entityId = entityId
        self.orderEntityId = orderEntityId
        self.orderIncrementId = orderIncrementId
    }

    /// The queue's dedup key: `order:<tenant>:<increment_id>` or `invoice:<tenant>:<increment_id>`.
    /// The polling backstop builds the same keys, so a hook seen both ways posts once.
    public func dedupKey(tenant: String) -> String? {
        guard let incrementId else { return nil }
        switch kind {
        case .orderPlaced: return Self.orderDedupKey(tenant: tenant, incrementId: incrementId)
        case .invoiceSaved, .invoicePaid: return Self.invoiceDedupKey(tenant: tenant, incrementId: incrementId)
        case .unknown: return nil
        }
    }

    public static func orderDedupKey(tenant: String, incrementId: String) -> String {
        "order:\(tenant):\(incrementId)"
    }

    public static func invoiceDedupKey(tenant: String, incrementId: String) -> String {
        "invoice:\(tenant):\(incrementId)"
    }
}
