import Commerce
import Foundation
import Postgres
import Queue

/// An invoice webhook names its order by `order_id` (the order's entity id) only: the invoice
/// rows Commerce serialises carry no order increment id, and the order's record and dedup key are
/// keyed by that increment id. So the receiver stores such a hook together with a
/// `resolve_invoice` job (dedup key `invoice:<tenant>:<invoice increment id>`), which reads the
/// order once and hands the event to `OrderIntake` exactly as a hook that named its order would
/// have: noted on the order's record as arrived by webhook, and the posting job enqueued under
/// the order's key when this is the tenant's trigger event.
public struct InvoiceHint: Sendable, Codable, Equatable {
    /// The order's entity id (`order_id` on the invoice).
    public var orderId: Int
    public var invoiceId: Int?
    public var invoiceIncrementId: String

    public init(orderId: Int, invoiceId: Int?, invoiceIncrementId: String) {
        self.orderId = orderId
        self.invoiceId = invoiceId
        self.invoiceIncrementId = invoiceIncrementId
    }

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id", invoiceId = "invoice_id", invoiceIncrementId = "invoice_increment_id"
    }

    /// The job's dedup key: the same invoice announced twice resolves once.
    public func dedupKey(tenant: String) -> String {
        CommerceWebhookEvent.invoiceDedupKey(tenant: tenant, incrementId: invoiceIncrementId)
    }

    public var payload: String {
        String(decoding: (try? JSONEncoder().encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

extension ConnectorJobs {
    public static let resolveInvoice = "resolve_invoice"

    /// Reads the invoice's order (one Commerce call, no GP) and notes the event on its record in
    /// this job's transaction, enqueueing the posting job when the tenant's trigger says so. An
    /// order Commerce does not show (yet) retries; after the attempts the backstop still finds
    /// the invoice by its `updated_at`.
    func resolveInvoice(_ job: Job, _ context: JobContext, queue: JobQueue) throws {
        let hint = try job.decodePayload(InvoiceHint.self)
        let c = try clients(job)
        guard let order = try c.commerce.order(id: hint.orderId) else {
            throw JobFailure.retryable("Commerce has no order \(hint.orderId) (invoice \(hint.invoiceIncrementId)) yet.", after: 30)
        }
        let trigger = c.tenant.postingSettings.trigger
        let request = OrderPostingRun.Request(incrementId: order.incrementId, event: .invoiceCaptured, arrivedVia: .webhook,
                                              invoiceId: hint.invoiceId)
        let decision = try context.transaction { tx -> OrderIntake.Decision in
            let decision = try OrderIntake().receive(tx, tenant: job.tenantID, trigger: trigger, request)
            if case .enqueue(let key, let payload) = decision {
                _ = try queue.enqueue(tx, EnqueueRequest(kind: Self.postingKind(trigger), tenantID: job.tenantID,
                                                         payload: payload, dedupKey: key))
            }
            return decision
        }
        logger.info("invoice resolved to its order", metadata: [
            "job": "\(job.id)", "tenant": "\(job.tenantID)", "invoice": "\(hint.invoiceIncrementId)",
            "order": "\(order.incrementId)", "decision": "\(decision)",
        ])
    }
}
