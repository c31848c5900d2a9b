/// Where a verified webhook goes: the API wires this to "store the raw payload and enqueue the
/// posting job with the event's dedup key, in one transaction". Called on the receiver's own
/// sink threads; may block. Throwing (or taking longer than the budget) never fails the
/// shopper's checkout: the receiver answers success and the polling backstop catches up.
public protocol WebhookSink: Sendable {
    func accept(_ event: CommerceWebhookEvent, rawBody: [UInt8], tenant: String) throws
}
