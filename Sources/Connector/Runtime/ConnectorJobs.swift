import Commerce
import Foundation
import GP
import Logging
import Postgres
import Queue

/// The connector's job kinds and their handlers: each loads its tenant, builds the live clients
/// (`TenantClients`) and runs one flow on the worker thread's own connection.
///
/// | kind | payload | GP slot | flow |
/// |---|---|---|---|
/// | `sync_items` | `{"mode":"incremental"\|"full"}` | yes | `ItemSync` |
/// | `sync_customers` | same | yes | `CustomerSync` |
/// | `post_order`, `post_invoice` | `OrderPostingRun.Request` | yes | `OrderPostingRun` |
/// | `poll_orders` | `PollRequest` | no | `OrderBackstop` → `OrderIntake` → enqueue |
/// | `resolve_invoice` | `InvoiceHint` | no | the invoice's order → `OrderIntake` → enqueue |
///
/// Errors become `JobFailure`s (`FlowFailure.map`): a record parked for a person completes the job
/// (it is replayed through the API), a transient failure retries with backoff or Retry-After.
public struct ConnectorJobs: Sendable {
    public static let syncItems = "sync_items"
    public static let syncCustomers = "sync_customers"
    public static let postOrder = "post_order"
    public static let postInvoice = "post_invoice"
    public static let pollOrders = "poll_orders"

    /// The posting job kind a trigger event enqueues.
    public static func postingKind(_ trigger: PostingTrigger) -> String {
        trigger == .orderPlaced ? postOrder : postInvoice
    }

    public let tenants: TenantStore
    public let logger: Logger
    /// Relays the GP calls of agent tenants (nil: such jobs fail as `gp_agent_not_available`).
    public let agentRelay: AgentRelay?

    public init(tenants: TenantStore, logger: Logger = Logger(label: "mlc.jobs"), agentRelay: AgentRelay? = nil) {
        self.tenants = tenants
        self.logger = logger
        self.agentRelay = agentRelay
    }

    /// Registers every kind on `queue.registry` (before a `WorkerPool` starts).
    public func register(on queue: JobQueue) {
        let registry = queue.registry
        registry.register(Self.syncItems, usesGP: true, maxAttempts: 10, timeout: 3600) { job, context in
            try run(job) { try syncItems(job, context) }
        }
        registry.register(Self.syncCustomers, usesGP: true, maxAttempts: 10, timeout: 3600) { job, context in
            try run(job) { try syncCustomers(job, context) }
        }
        for kind in [Self.postOrder, Self.postInvoice] {
            registry.register(kind, usesGP: true, maxAttempts: 25, timeout: 900) { job, context in
                try run(job) { try post(job, context) }
            }
        }
        registry.register(Self.pollOrders, usesGP: false, maxAttempts: 5, timeout: 900) { job, context in
            try run(job) { try poll(job, context, queue: queue) }
        }
        registry.register(Self.resolveInvoice, usesGP: false, maxAttempts: 10, timeout: 300) { job, context in
            try run(job) { try resolveInvoice(job, context, queue: queue) }
        }
    }

    /// Runs a handler body and maps what it throws.
    func run(_ job: Job, _ body: () throws -> Void) throws {
        do { try body() } catch {
            let mapped = FlowFailure.map(error)
            logger.warning("job failed", metadata: ["job": "\(job.id)", "kind": "\(job.kind)", "tenant": "\(job.tenantID)",
                                                    "attempt": "\(job.attempt)", "error": "\(mapped)"])
            throw mapped
        }
    }

    /// The job's tenant and its live clients (the GP client with the tenant's `gp.sba` settings).
    func clients(_ job: Job, onGPCall: (@Sendable (GPCallRecord) -> Void)? = nil) throws -> TenantClients {
        guard let id = TenantID(job.tenantID) else { throw RuntimeError.tenantNotFound(job.tenantID) }
        let tenant: Tenant
        let secrets: SecretValues
        do {
            guard let found = try tenants.tenant(id) else { throw RuntimeError.tenantNotFound(job.tenantID) }
            tenant = found
            secrets = try tenants.secrets(of: id)
        } catch let error as RuntimeError {
            throw error
        } catch let error as TenantStoreError {
            if case .database = error { throw JobFailure.retryable(error.message) }
            throw RuntimeError.tenantUnreadable(code: error.code, message: error.message)
        }
        return try TenantClients(tenant: tenant, secrets: secrets, gpSettings: tenant.gpSBASettings, logger: logger,
                                 agentRelay: agentRelay, onGPCall: onGPCall)
    }

    struct SyncPayload: Decodable {
        var mode: SyncMode?
    }

    static func report(_ context: JobContext, _ p: SyncProgress) throws {
        try context.reportProgress(processed: p.processed, total: p.total, counters: [
            "created": p.created, "updated": p.updated, "unchanged": p.unchanged, "skipped": p.skipped,
            "failed": p.failed, "pages": p.pages, "write_calls": p.writeCalls,
        ])
    }

    func syncItems(_ job: Job, _ context: JobContext) throws {
        let mode = try job.decodePayload(SyncPayload.self).mode ?? .incremental
        let c = try clients(job)
        let settings = c.tenant.itemMappingSettings
        let sync = ItemSync(tenant: job.tenantID, settings: settings, source: GPItemPageSource(client: c.gp, settings: settings),
                            writer: CommerceProductWriter(client: c.commerce), jobID: job.id)
        let result = try sync.run(context.connection, mode: mode, progress: { try Self.report(context, $0) },
                                  isCancelled: { context.isCancelled })
        logger.info("items synced", metadata: Self.metadata(job, result))
    }

    func syncCustomers(_ job: Job, _ context: JobContext) throws {
        let mode = try job.decodePayload(SyncPayload.self).mode ?? .incremental
        let c = try clients(job)
        let sync = CustomerSync(tenant: job.tenantID, settings: c.tenant.customerMappingSettings,
                                source: GPCustomerPageSource(client: c.gp), writer: CommerceCustomerWriter(client: c.commerce),
                                jobID: job.id)
        let result = try sync.run(context.connection, mode: mode, progress: { try Self.report(context, $0) },
                                  isCancelled: { context.isCancelled })
        logger.info("customers synced", metadata: Self.metadata(job, result))
    }

    func post(_ job: Job, _ context: JobContext) throws {
        let request = try job.decodePayload(OrderPostingRun.Request.self)
        let calls = CallLog()
        let c = try clients(job, onGPCall: calls.gpObserver)
        let run = OrderPostingRun(tenant: job.tenantID, settings: c.tenant.postingSettings,
                                  source: CommerceSalesSource(client: c.commerce), poster: GPReceivablesPoster(client: c.gp),
                                  jobID: job.id)
        let outcome: PostingOutcome
        do { outcome = try run.run(context.connection, request) } catch {
            try? flush(calls, context, job, request)
            throw error
        }
        // The GP calls of this step go to the order's audit trail (redacted and capped by the store).
        try flush(calls, context, job, request)
        logger.info("posting step ended", metadata: ["job": "\(job.id)", "tenant": "\(job.tenantID)",
                                                     "order": "\(request.incrementId)", "outcome": "\(outcome)"])
        if case .retry(let error, let after) = outcome {
            throw JobFailure.retryable(error.message, after: after)
        }
    }

    func flush(_ calls: CallLog, _ context: JobContext, _ job: Job, _ request: OrderPostingRun.Request) throws {
        guard !calls.collected.isEmpty else { return }
        let store = RecordStore()
        let key = RecordKey(tenant: job.tenantID, entity: .order, sourceKey: request.incrementId)
        guard let record = try store.record(context.connection, key) else { return }
        try calls.flush(context.connection, store: store, recordID: record.id, tenant: job.tenantID, jobID: job.id)
    }

    /// The backstop reads what the payload (`PollRequest`) names: both lists for the schedule,
    /// one for an on-demand sync; incrementally from the watermarks, or in full from `since` or
    /// the tenant's window. Records, watermarks and the posting jobs commit together with this
    /// job's completion.
    func poll(_ job: Job, _ context: JobContext, queue: JobQueue) throws {
        let request = try job.decodePayload(PollRequest.self)
        let c = try clients(job)
        let trigger = c.tenant.postingSettings.trigger
        var backstop = OrderBackstop(tenant: job.tenantID, trigger: trigger,
                                     source: CommerceUpdatedSalesSource(client: c.commerce))
        backstop.entities = request.entities
        backstop.readFrom = request.readFrom(now: Date(), lookbackDays: c.tenant.settings.posting.backstopFullLookbackDays)
        let kind = Self.postingKind(trigger)
        let summary = try context.transaction { tx in
            try backstop.run(tx) { key, payload in
                _ = try queue.enqueue(tx, EnqueueRequest(kind: kind, tenantID: job.tenantID, payload: payload, dedupKey: key))
            }
        }
        logger.info("backstop polled", metadata: [
            "job": "\(job.id)", "tenant": "\(job.tenantID)", "mode": "\(request.mode ?? .incremental)",
            "from": "\(backstop.readFrom.map(PollRequest.format) ?? "watermark")", "orders": "\(summary.ordersSeen)",
            "invoices": "\(summary.invoicesSeen)", "only_by_poll": "\(summary.arrivedOnlyByPoll)",
            "enqueued": "\(summary.enqueued.count)",
        ])
    }

    static func metadata(_ job: Job, _ p: SyncProgress) -> Logger.Metadata {
        ["job": "\(job.id)", "tenant": "\(job.tenantID)", "processed": "\(p.processed)", "created": "\(p.created)",
         "updated": "\(p.updated)", "unchanged": "\(p.unchanged)", "skipped": "\(p.skipped)", "failed": "\(p.failed)"]
    }
}
