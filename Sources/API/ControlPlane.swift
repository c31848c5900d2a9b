import Commerce
import Connector
import Crypto
import HTTPServer
import Logging
import Postgres
import Queue

/// The API module owns the control plane's HTTP surface: tenants, their tokens, ping, jobs,
/// syncs, records, the Commerce webhook and the OpenAPI document, with bearer-token
/// authorization and JSON errors. `ControlPlane` wires the stores and the queue to routes; the
/// server, `/healthz`, `/readyz` and `/metrics` belong to the caller.
///
/// ```swift
/// let plane = ControlPlane(pool: pool, keyring: keyring, logger: logger, queue: JobQueue(registry: registry))
/// var router = Router()
/// plane.register(on: &router)
/// ```
public struct ControlPlane: Sendable {
    public struct Configuration: Sendable {
        /// Where `/openapi.yaml` is read from (relative paths are resolved from the working directory).
        public var openAPIPath = "OpenAPI/openapi.yaml"
        /// Failed authentications allowed per client address per `authFailureWindow`.
        public var authFailureLimit = 20
        public var authFailureWindow: Duration = .seconds(60)
        /// Body limit for tenant documents (they carry PEM certificates and keys).
        public var maxTenantBodyBytes = 64 * 1024
        public var maxSmallBodyBytes = 4 * 1024
        /// Reaches GP and Commerce for `POST /v1/tenants/{tenant}/ping`.
        public var probe: any TenantProbe = UnimplementedProbe()
        public var validator: TenantValidator = .standard
        /// The key failed authentications are counted under. Defaults to the connection's peer
        /// address; a proxy deployment may key on a trusted forwarded header instead.
        public var clientAddress: @Sendable (Request) -> String = ControlPlane.peerAddress
        /// Body limit of `POST /v1/webhooks/commerce/{tenant}`.
        public var maxWebhookBodyBytes = 1 << 20
        /// How long a webhook waits for its transaction before answering success anyway.
        public var webhookBudget: Duration = .milliseconds(300)
        /// Writer threads that store webhooks (each holds a pooled connection while it writes a
        /// batch). Few are enough: each commits every hook waiting at that moment at once.
        public var webhookSinkThreads = 2
        /// Most hooks one writer stores in one statement and commit.
        public var webhookMaxBatch = 256
        /// Which Commerce event posts a tenant's orders to GP (webhooks and record replays).
        /// nil (the default) reads the tenant's `posting.trigger` through the webhook cache.
        public var postingTrigger: (@Sendable (TenantID) -> PostingTrigger)?
        /// With a database URL, the webhook cache LISTENs on `tenants_changed` and forgets a
        /// tenant as soon as any process changes it; without one, entries live their 60 s TTL.
        public var tenantChangesConninfo: String?
        /// Serves `/v1/agent/*` and the tenants' `agent` block (nil: those routes answer 503).
        public var agentRelay: AgentRelay?
        /// Body limit of `POST /v1/agent/results` (a GP answer can be a whole catalog, base64).
        public var maxAgentResultBodyBytes = 64 << 20

        public init() {}
    }

    public let tenants: TenantStore
    public let tokens: TokenStore
    public let authenticator: Authenticator
    public let configuration: Configuration
    public let pool: ConnectionPool
    public let queue: JobQueue
    public let records: RecordStore
    /// The one Commerce webhook receiver of this process (its sink threads store the hooks).
    public let webhooks: WebhookReceiver
    let webhookKeys: WebhookKeyCache
    let tenantChanges: TenantChangeListener?
    /// The tenant's posting trigger (`Configuration.postingTrigger`, else the tenant's own).
    let postingTrigger: @Sendable (TenantID) -> PostingTrigger
    let logger: Logger
    let spec: OpenAPIDocument

    public init(pool: ConnectionPool, keyring: Keyring, logger: Logger, queue: JobQueue = JobQueue(),
                records: RecordStore = RecordStore(), configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.logger = logger
        self.pool = pool
        self.queue = queue
        self.records = records
        tenants = TenantStore(pool: pool, vault: Vault(keyring: keyring), validator: configuration.validator)
        tokens = TokenStore(pool: pool)
        authenticator = Authenticator(tokens: tokens,
                                      limiter: AuthFailureLimiter(maxFailures: configuration.authFailureLimit, window: configuration.authFailureWindow),
                                      clientAddress: configuration.clientAddress)
        spec = OpenAPIDocument(path: configuration.openAPIPath)
        let keys = WebhookKeyCache(tenants: tenants, logger: logger)
        webhookKeys = keys
        var changes: TenantChangeListener?
        if let conninfo = configuration.tenantChangesConninfo {
            let listener = TenantChangeListener(conninfo: conninfo, logger: logger) { keys.invalidate($0) }
            do {
                try listener.start()
                changes = listener
            } catch {
                logger.warning("cannot LISTEN for tenant changes; webhook settings refresh every 60 s only",
                               metadata: ["error": "\(error)"])
            }
        }
        tenantChanges = changes
        let trigger = configuration.postingTrigger ?? { keys.trigger(for: $0.rawValue) }
        postingTrigger = trigger
        let sink = WebhookStore(pool: pool, queue: queue, records: records, trigger: trigger, logger: logger)
        webhooks = WebhookReceiver(sink: sink, budget: configuration.webhookBudget,
                                   limits: WebhookReceiver.Limits(maxBodyBytes: configuration.maxWebhookBodyBytes),
                                   sinkThreads: configuration.webhookSinkThreads, maxBatch: configuration.webhookMaxBatch,
                                   logger: logger,
                                   publicKey: { keys.key(for: $0) })
    }

    /// Stops the webhook sink threads after the hooks they hold are stored, and the tenant
    /// change listener.
    public func shutdown() {
        webhooks.shutdown()
        tenantChanges?.stop()
    }

    /// Adds `GET /openapi.yaml` and every `/v1` route of the control plane.
    public func register(on router: inout Router) {
        let big = configuration.maxTenantBodyBytes, small = configuration.maxSmallBodyBytes
        router.add(.GET, "/openapi.yaml") { _ in try spec.response() }
        router.add(.POST, "/v1/tenants", maxBodyBytes: big) { try createTenant($0) }
        router.add(.GET, "/v1/tenants") { try listTenants($0) }
        router.add(.GET, "/v1/tenants/{tenant}") { try getTenant($0) }
        router.add(.PATCH, "/v1/tenants/{tenant}", maxBodyBytes: big) { try patchTenant($0) }
        router.add(.DELETE, "/v1/tenants/{tenant}") { try deleteTenant($0) }
        router.add(.POST, "/v1/tenants/{tenant}/ping", maxBodyBytes: small) { try ping($0) }
        router.add(.POST, "/v1/tenants/{tenant}/tokens", maxBodyBytes: small) { try issueToken($0) }
        router.add(.GET, "/v1/tenants/{tenant}/tokens") { try listTokens($0) }
        router.add(.DELETE, "/v1/tenants/{tenant}/tokens/{token}") { try revokeToken($0) }
        router.add(.POST, "/v1/tenants/{tenant}/syncs", maxBodyBytes: small) { try startSync($0) }
        router.add(.GET, "/v1/jobs") { try listJobs($0) }
        router.add(.GET, "/v1/jobs/{id}") { try getJob($0) }
        router.add(.POST, "/v1/jobs/{id}/replay", maxBodyBytes: small) { try replayJob($0) }
        router.add(.POST, "/v1/jobs/{id}/cancel", maxBodyBytes: small) { try cancelJob($0) }
        router.add(.GET, "/v1/tenants/{tenant}/records") { try listRecords($0) }
        router.add(.GET, "/v1/records/{id}") { try getRecord($0) }
        router.add(.POST, "/v1/records/{id}/replay", maxBodyBytes: small) { try replayRecord($0) }
        router.add(.POST, "/v1/webhooks/commerce/{tenant}", maxBodyBytes: configuration.maxWebhookBodyBytes) { receiveWebhook($0) }
        registerAgentRoutes(on: &router)
    }

    /// Adds the control plane's counters to the process's `/metrics` (nothing secret).
    public func registerMetrics(on metrics: Metrics) {
        metrics.counter("mlc_auth_failures_total", help: "Requests refused because their bearer token was invalid.") {
            [authenticator] in Double(authenticator.failureCount)
        }
        metrics.counter("mlc_auth_rate_limited_total", help: "Requests refused with 429 after too many failed authentications.") {
            [authenticator] in Double(authenticator.rateLimitedCount)
        }
        registerWebhookMetrics(on: metrics)
        if let relay = configuration.agentRelay {
            for (name, help, read) in AgentRelayCounters.series {
                metrics.counter(name, help: help) { Double(read(relay.counters.snapshot)) }
            }
        }
    }
}
