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
/// `OrderPosting.dedupKey`). The posting job's kind follows the tenant's trigger
/// (`ConnectorJobs.postingKind`: `post_order` or `post_invoice`), as for the backstop and replays.
struct WebhookStore: WebhookSink {
    let pool: ConnectionPool
    let queue: JobQueue
    let records: RecordStore
    let deliveries = WebhookDeliveryStore()
    let trigger: @Sendable (TenantID) -> PostingTrigger
    let logger: Logger

    /// One hook: a batch of one (same statement, same answers).
    func accept(_ event: CommerceWebhookEvent, rawBody: [UInt8], tenant: String) throws {
        if case .failure(let error) = accept(batch: [VerifiedWebhook(event: event, rawBody: rawBody, tenant: tenant)])[0] {
            throw error
        }
    }

    func accept(batch: [VerifiedWebhook]) -> [Result<Void, any Error>] {
        let arrivals = batch.map { hook in
            OrderIntake.Arrival(tenant: hook.tenant, trigger: TenantID(hook.tenant).map(trigger) ?? .invoiceCaptured,
                                request: Self.request(for: hook.event), hint: Self.hint(for: hook.event),
                                eventName: hook.event.eventName, body: hook.rawBody)
        }
        // One statement per job kind: tenants posting on different triggers in one batch (rare)
        // cost one more statement, never a wrong kind.
        var outcomes = [Result<OrderIntake.BatchStored, any Error>](
            repeating: .failure(PostgresError(.queryFailed, "webhook batch left a hook unstored")), count: batch.count)
        let groups = Dictionary(grouping: arrivals.indices) { ConnectorJobs.postingKind(arrivals[$0].trigger) }
        do {
            try pool.withConnection { conn in
                for (kind, indexes) in groups.sorted(by: { $0.key < $1.key }) {
                    let stored = OrderIntake(records: records).receiveAndStoreBatch(conn, queue: queue, kind: kind,
                                                                                   indexes.map { arrivals[$0] }, logger: logger)
                    for (index, outcome) in zip(indexes, stored) { outcomes[index] = outcome }
                }
            }
        } catch {
            // No connection: every hook of the batch fails alike (the receiver answers success
            // and counts them; the backstop poll catches up).
            return batch.map { _ in .failure(error) }
        }
        for (hook, arrival) in zip(batch, arrivals) where arrival.request == nil && arrival.hint == nil {
            logger.info("commerce webhook stored without a job", metadata: ["tenant": "\(hook.tenant)", "event": "\(hook.event.eventName)"])
        }
        return outcomes.map { $0.map { _ in () } }
    }

    /// A paid invoice that names its order by entity id only (what Commerce's invoice rows
    /// carry): resolved to the order by a `resolve_invoice` job.
    static func hint(for event: CommerceWebhookEvent) -> InvoiceHint? {
        guard event.kind == .invoicePaid, event.orderIncrementId == nil, let order = event.orderEntityId,
              let invoice = event.incrementId else { return nil }
        return InvoiceHint(orderId: order, invoiceId: event.entityId, invoiceIncrementId: invoice)
    }

    /// The posting request a hook implies, keyed by the ORDER's increment id; nil when the hook
    /// does not name its order's increment id (an invoice saved unpaid, or one naming its order by
    /// entity id only: see `hint(for:)`).
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
