/// Where verified webhooks go: the API wires this to "store the raw payload and enqueue the
/// posting job with the event's dedup key, atomically". Called on the receiver's own writer
/// threads; may block. Throwing (or taking longer than the budget) never fails the shopper's
/// checkout: the receiver answers success and the polling backstop catches up.
///
/// `accept(batch:)` is the hot path: the writer hands over every hook waiting at that moment, so
/// one commit (one WAL flush) serves them all. Its default stores them one by one.
public protocol WebhookSink: Sendable {
    func accept(_ event: CommerceWebhookEvent, rawBody: [UInt8], tenant: String) throws

    /// Stores `batch` and returns one outcome per hook, in order. One hook's failure must not
    /// fail the others (a sink that writes them together isolates a failing statement).
    func accept(batch: [VerifiedWebhook]) -> [Result<Void, any Error>]
}

extension WebhookSink {
    public func accept(batch: [VerifiedWebhook]) -> [Result<Void, any Error>] {
        batch.map { hook in Result { try accept(hook.event, rawBody: hook.rawBody, tenant: hook.tenant) } }
    }
}

/// A webhook whose signature verified and whose event parsed, on its way to the sink.
public struct VerifiedWebhook: Sendable {
    public var event: CommerceWebhookEvent
    public var rawBody: [UInt8]
    public var tenant: String

    public init(event: CommerceWebhookEvent, rawBody: [UInt8], tenant: String) {
        self.event = event
        self.rawBody = rawBody
        self.tenant = tenant
    }
}
