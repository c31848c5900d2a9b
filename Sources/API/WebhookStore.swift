import Commerce
import Connector
import Foundation
import Logging
import Postgres
import Queue

/// The webhook receiver's sink: in ONE statement (`OrderIntake.receiveAndStore`), note the event
/// on the order's record, enqueue the posting job under the order's dedup key when the event is
/// the tenant's trigger, and keep the delivery with its raw bytes. Either all of it commits or none,
/// so a hook is never stored without its job; the dedup key makes 100 identical hooks one job.
///
/// The receiver's writers hand over every hook waiting at once (`accept(batch:)`): one statement
/// and one commit store them all (`OrderIntake.receiveAndStoreBatch`), each hook still atomic.
///
/// Orders and their invoices share one record and one key (`order:<tenant>:<increment_id>`,
/// `OrderPosting.dedupKey`) and one job kind, `post_order`: the payload's `event` says which.
struct WebhookStore: WebhookSink {
    static let postingKind = "post_order"

    let pool: ConnectionPool
    let queue: JobQueue
    let records: RecordStore
    let deliveries = WebhookDeliveryStore()
    let trigger: @Sendable (TenantID) -> PostingTrigger
    let logger: Logger

    func accept(_ event: CommerceWebhookEvent, rawBody: [UInt8], tenant: String) throws {
        let request = Self.request(for: event)
        let trigger = TenantID(tenant).map(self.trigger) ?? .invoiceCaptured
        // One statement each way, atomic by itself: no BEGIN/COMMIT round trips on the hot path.
        try pool.withConnection { conn in
            if let request {
                _ = try OrderIntake(records: records).receiveAndStore(
                    conn, queue: queue, kind: Self.postingKind, tenant: tenant, trigger: trigger, request,
                    eventName: event.eventName, body: rawBody)
            } else {
                try deliveries.insert(conn, tenant: tenant, eventName: event.eventName, dedupKey: nil, body: rawBody,
                                      signatureOK: true, recordID: nil)
            }
        }
        if request == nil {
            // Kept for audit; nothing to post (an invoice not yet paid, or one without its order).
            logger.info("commerce webhook stored without a job", metadata: ["tenant": "\(tenant)", "event": "\(event.eventName)"])
        }
    }

    func accept(batch: [VerifiedWebhook]) -> [Result<Void, any Error>] {
        let arrivals = batch.map { hook in
            OrderIntake.Arrival(tenant: hook.tenant, trigger: TenantID(hook.tenant).map(trigger) ?? .invoiceCaptured,
                                request: Self.request(for: hook.event), eventName: hook.event.eventName, body: hook.rawBody)
        }
        let outcomes: [Result<OrderIntake.BatchStored, any Error>]
        do {
            outcomes = try pool.withConnection { conn in
                OrderIntake(records: records).receiveAndStoreBatch(conn, queue: queue, kind: Self.postingKind, arrivals, logger: logger)
            }
        } catch {
            // No connection: every hook of the batch fails alike (the receiver answers success
            // and counts them; the backstop poll catches up).
            return batch.map { _ in .failure(error) }
        }
        for (hook, arrival) in zip(batch, arrivals) where arrival.request == nil {
            logger.info("commerce webhook stored without a job", metadata: ["tenant": "\(hook.tenant)", "event": "\(hook.event.eventName)"])
        }
        return outcomes.map { $0.map { _ in () } }
    }

    /// The posting request a hook implies, keyed by the ORDER's increment id; nil when the hook
    /// cannot post anything (an invoice saved unpaid, or an invoice that does not name its order).
    static func request(for event: CommerceWebhookEvent) -> OrderPostingRun.Request? {
        switch event.kind {
        case .orderPlaced:
            guard let increment = event.incrementId else { return nil }
            return .init(incrementId: increment, event: .orderPlaced, arrivedVia: .webhook)
        case .invoicePaid:
            guard let order = event.orderIncrementId else { return nil }
            return .init(incrementId: order, event: .invoiceCaptured, arrivedVia: .webhook, invoiceId: event.entityId)
        case .invoiceSaved, .unknown:
            return nil
        }
    }
}
