import Crypto
import Dispatch
import Foundation
import Logging

/// The Commerce webhook endpoint's logic (`POST /v1/webhooks/commerce/{tenant}`), without the
/// socket: limits, tenant key, signature, event parsing, then the sink under a hard time budget.
///
/// Order of checks: body size (413) → tenant known (404) → signature (401, nothing stored) →
/// JSON depth (400) → event shape (400; unknown events → 200 success, ignored). A valid event
/// is queued for the writer threads, which hand every waiting hook to the `WebhookSink` at once
/// (group commit: one durable commit for many hooks). The caller waits at most `budget` (default
/// 300 ms) and answers `200 {"op":"success"}` either way — a slow or failing database must not
/// stall a checkout, so the overrun is counted and left to the polling backstop.
///
///     let receiver = WebhookReceiver(sink: store, publicKey: { tenant in keys[tenant] })
///     let reply = receiver.receive(tenant: t, signature: headers["x-adobe-commerce-webhook-signature"], body: body)
///     return Response(status: reply.status, body: reply.body)
public final class WebhookReceiver: @unchecked Sendable {
    public struct Limits: Sendable {
        public var maxBodyBytes: Int
        public var maxJSONDepth: Int
        public init(maxBodyBytes: Int = 1 << 20, maxJSONDepth: Int = 32) {
            self.maxBodyBytes = maxBodyBytes
            self.maxJSONDepth = maxJSONDepth
        }
    }

    public struct Reply: Sendable, Equatable {
        public var status: Int
        /// JSON: `{"op":"success"}` or `{"error":{"code","message","details":{}}}`.
        public var body: [UInt8]
        /// What happened, for logs and metrics: `accepted`, `ignored`, `budget_exceeded`,
        /// `sink_failed`, `overloaded`, or the error code.
        public var outcome: String
    }

    public struct Counters: Sendable, Equatable {
        public var accepted = 0
        public var ignored = 0
        public var rejected = 0
        public var budgetExceeded = 0
        public var sinkFailed = 0
        public var overloaded = 0
    }

    public let budget: Duration
    public let limits: Limits
    private let publicKey: @Sendable (String) -> RSAPublicKey?
    private let invoicePaidState: Int
    private let logger: Logger
    private let pool: WebhookSinkPool
    private let lock = NSLock()
    private var counts = Counters()

    /// `publicKey(tenant)` returns the tenant's webhook key, nil for an unknown tenant (or one
    /// without a key). `sinkThreads` writer threads call the sink concurrently, each with at most
    /// `maxBatch` hooks; `maxPending` bounds the backlog beyond which hooks are acknowledged
    /// without trying (counted as `overloaded`).
    public init(sink: any WebhookSink, budget: Duration = .milliseconds(300), limits: Limits = Limits(),
                sinkThreads: Int = 2, maxBatch: Int = 256, maxPending: Int = 4096, invoicePaidState: Int = 2,
                logger: Logger = Logger(label: "ml-connector.webhook"),
                publicKey: @escaping @Sendable (String) -> RSAPublicKey?) {
        self.budget = budget
        self.limits = limits
        self.publicKey = publicKey
        self.invoicePaidState = invoicePaidState
        self.logger = logger
        pool = WebhookSinkPool(sink: sink, threads: sinkThreads, maxPending: maxPending, maxBatch: maxBatch)
    }

    deinit { pool.shutdown() }

    public var counters: Counters { lock.withLock { counts } }

    /// Verified hooks waiting for a writer (not yet handed to the sink).
    public var backlog: Int { pool.pending }

    public func receive(tenant: String, signature: String?, body: [UInt8]) -> Reply {
        guard body.count <= limits.maxBodyBytes else {
            return reject(CommerceWebhookError.bodyTooLarge(limit: limits.maxBodyBytes), tenant: tenant)
        }
        guard let key = publicKey(tenant) else {
            count { $0.rejected += 1 }
            return Reply(status: 404, body: Self.errorBody("tenant_not_found", "No such tenant."), outcome: "tenant_not_found")
        }
        let event: CommerceWebhookEvent
        do {
            try CommerceWebhookSignature.verify(body: body, signature: signature, publicKey: key)
            guard JSONDepth.isWithin(body, limit: limits.maxJSONDepth) else {
                throw CommerceWebhookError.jsonTooDeep(limit: limits.maxJSONDepth)
            }
            event = try CommerceWebhookEvent.parse(body, invoicePaidState: invoicePaidState)
        } catch {
            return reject(error, tenant: tenant)
        }
        guard event.kind != .unknown else {
            count { $0.ignored += 1 }
            logger.info("commerce webhook ignored", metadata: ["tenant": "\(tenant)", "event": "\(event.eventName)"])
            return success("ignored")
        }
        let job = WebhookSinkPool.Job(VerifiedWebhook(event: event, rawBody: body, tenant: tenant))
        guard pool.submit(job) else {
            count { $0.overloaded += 1 }
            logger.warning("commerce webhook not stored: sink backlog full", metadata: ["tenant": "\(tenant)"])
            return success("overloaded")
        }
        switch job.wait(budget: budget) {
        case .done:
            count { $0.accepted += 1 }
            return success("accepted")
        case .failed(let error):
            count { $0.sinkFailed += 1 }
            logger.error("commerce webhook not stored; the polling backstop will pick it up",
                         metadata: ["tenant": "\(tenant)", "key": "\(event.dedupKey(tenant: tenant) ?? "")",
                                    "error": "\(error)"])
            return success("sink_failed")
        case .timedOut:
            count { $0.budgetExceeded += 1 }
            logger.warning("commerce webhook over its time budget; acknowledged anyway",
                           metadata: ["tenant": "\(tenant)", "key": "\(event.dedupKey(tenant: tenant) ?? "")"])
            return success("budget_exceeded")
        }
    }

    /// Stops the sink threads after the queued jobs finish.
    public func shutdown() { pool.shutdown() }

    private func reject(_ error: CommerceWebhookError, tenant: String) -> Reply {
        count { $0.rejected += 1 }
        logger.notice("commerce webhook refused", metadata: ["tenant": "\(tenant)", "code": "\(error.code)"])
        return Reply(status: error.status, body: Self.errorBody(error.code, error.message), outcome: error.code)
    }

    private func reject(_ error: any Error, tenant: String) -> Reply {
        reject(error as? CommerceWebhookError ?? .malformedPayload("unreadable"), tenant: tenant)
    }

    private func success(_ outcome: String) -> Reply {
        Reply(status: 200, body: Array(#"{"op":"success"}"#.utf8), outcome: outcome)
    }

    private func count(_ change: (inout Counters) -> Void) { lock.withLock { change(&counts) } }

    static func errorBody(_ code: String, _ message: String) -> [UInt8] {
        let object: [String: Any] = ["error": ["code": code, "message": message, "details": [String: Any]()]]
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }
}
