import Foundation
import GP

/// A Commerce event about an order.
public enum SalesEvent: String, Sendable, Codable, CaseIterable {
    case orderPlaced = "order_placed"
    case invoiceCaptured = "invoice_captured"
}

/// The posting decisions for one order, in the order the posting job takes them.
///
/// ```swift
/// switch OrderPosting.action(for: .invoiceCaptured, trigger: settings.trigger, status: record.status) {
/// case .post: …
/// case .noteOnly(let why): audit why
/// }
/// let plan = OrderPosting.plan(doc, commerceAttribute: gpId, emailMapping: mapped, settings: s, today: today)
/// ```
public enum OrderPosting {
    public enum Action: Sendable, Equatable {
        case post
        /// Record the event on the order's record; create no GP document.
        case noteOnly(reason: String)
    }

    /// Only the tenant's trigger event posts, and only while the record is not already posted
    /// (or parked as a conflict: a person decides that). The other event is noted on the record.
    public static func action(for event: SalesEvent, trigger: PostingTrigger, status: RecordStatus?) -> Action {
        if status == .posted { return .noteOnly(reason: "The order is already posted to GP.") }
        if status == .conflict { return .noteOnly(reason: "The order is parked as a conflict; replay it once resolved.") }
        switch (event, trigger) {
        case (.orderPlaced, .orderPlaced), (.invoiceCaptured, .invoiceCaptured): return .post
        case (.orderPlaced, .invoiceCaptured):
            return .noteOnly(reason: "Order placed; the tenant posts to GP when the invoice is captured.")
        case (.invoiceCaptured, .orderPlaced):
            return .noteOnly(reason: "Invoice captured; the tenant posted to GP when the order was placed.")
        }
    }

    /// What an ARRIVING event (webhook or backstop poll) does: `action`, except that a parked
    /// record waits for a person. Another hook, or the backstop's overlap re-reading the order,
    /// must not send GP the same refused document again every few minutes; `POST
    /// /v1/records/{id}/replay` (which runs the job, and so `action`) posts it once it is fixed.
    public static func intakeAction(for event: SalesEvent, trigger: PostingTrigger, status: RecordStatus?) -> Action {
        if status == .needsAttention {
            return .noteOnly(reason: "The order is parked (needs attention); fix the cause, then replay the record.")
        }
        return action(for: event, trigger: trigger, status: status)
    }

    /// Customer resolution then amounts: the invoice to post and who it is for, or why it parks.
    public static func plan(_ doc: SalesDocument, commerceAttribute: String?, emailMapping: String?,
                            settings: PostingSettings, today: GPDate) -> Result<PostingPlan, ParkReason> {
        let customer: ResolvedCustomer
        switch CustomerResolution.resolve(commerceAttribute: commerceAttribute, emailMapping: emailMapping,
                                          guestCustomerId: settings.guestCustomerId, email: doc.customerEmail) {
        case .success(let c): customer = c
        case .failure(let reason): return .failure(reason)
        }
        return ReceivablesInvoiceMapping.map(doc, customerId: customer.customerId, settings: settings, today: today)
            .map { PostingPlan(invoice: $0, customer: customer) }
    }

    /// The record's dedup key: one per tenant, source and order increment id (order and invoice
    /// events share it).
    public static func dedupKey(tenant: String, incrementId: String) -> String {
        "order:\(tenant):\(incrementId)"
    }
}

/// What the posting job sends to GP and the customer decision behind it.
public struct PostingPlan: Sendable, Equatable {
    public var invoice: ReceivablesInvoice
    public var customer: ResolvedCustomer
}
