import Foundation

/// A simulated Adobe Commerce (Magento 2.4.4+) for demos and tests: products, customers,
/// orders, invoices, searchCriteria (with the last-page clamp), async bulk with a pausable
/// consumer, OAuth 1.0a verification, an IMS token endpoint, fault injection (429, latency) and
/// a webhook emitter that signs like Commerce. It owns all of that state in memory.
///
///     let sim = try CommerceSimulator(config: .init(webhook: .init(url: receiverURL)))
///     try sim.start()                       // listens on config.host, a free port by default
///     let base = sim.baseURL                // "http://127.0.0.1:PORT"
///     let placed = sim.placeOrder(email: "a@b.c", items: [("SKU-1", 2, 10)])  // fires the webhook
///     sim.stop()
///
/// Routes: PaaS `/rest[/<store>]/V1/…`, `/rest/<store>/async[/bulk]/V1/products`; SaaS
/// `/<tenant>/V1/…` (IMS bearer, `Store` header); IMS `POST /ims/token/v3`; admin `/_sim/…`
/// (see docs/simulate-commerce.md).
public final class CommerceSimulator: @unchecked Sendable {
    public let config: CommerceSimulatorConfig
    let oauth: CommerceSimOAuth
    let ims: CommerceSimIMS
    let emitter: CommerceSimWebhookEmitter
    var bulk: CommerceSimBulk!

    let lock = NSLock()
    var products: [String: [String: Any]] = [:]
    var customers: [Int: [String: Any]] = [:]
    var orders: [Int: [String: Any]] = [:]
    var invoices: [Int: [String: Any]] = [:]
    var nextProductId = 1
    var nextCustomerId = 1
    var nextOrderId = 1
    var nextOrderItemId = 1
    var nextInvoiceId = 1
    var latencyMs: Int
    var rateLimitNext = 0
    var retryAfterSeconds: Int?
    var requestCount = 0
    /// REST calls other than GET (product/customer saves, bulk, …), answered or rate-limited.
    var writeRequestCount = 0
    var rateLimitedCount = 0
    var server: CommerceSimServer?

    public init(config: CommerceSimulatorConfig = CommerceSimulatorConfig()) throws {
        self.config = config
        oauth = CommerceSimOAuth(config: config)
        ims = CommerceSimIMS(config: config)
        let signer = try config.webhookPrivateKeyPEM.map { try RSASigner(privateKeyPEM: $0) } ?? RSASigner()
        emitter = CommerceSimWebhookEmitter(signer: signer, target: config.webhook)
        latencyMs = config.latencyMs
        retryAfterSeconds = config.retryAfterSeconds
        bulk = CommerceSimBulk(running: config.bulkConsumerRunning) { [weak self] product in
            self?.upsertProduct(product, sku: nil).error
        }
        bulk.start()
    }

    deinit { bulk.stop() }

    /// The PEM public key a receiver needs to verify webhook signatures.
    public var webhookPublicKeyPEM: String { emitter.signer.publicKeyPEM }

    /// The webhook signing key (PKCS#8 PEM), to reuse across runs.
    public var webhookPrivateKeyPEM: String { emitter.signer.privateKeyPEM }

    /// Change or remove the webhook target at run time.
    public var webhook: CommerceSimulatorConfig.Webhook? {
        get { emitter.webhook }
        set { emitter.webhook = newValue }
    }

    /// Pause or resume the async bulk consumer.
    public var bulkConsumerRunning: Bool {
        get { bulk.consumerRunning }
        set { bulk.consumerRunning = newValue }
    }

    /// Lifetime of IMS tokens issued from now on.
    public var imsTokenExpiresIn: Int {
        get { ims.tokenLifetime }
        set { ims.tokenLifetime = newValue }
    }

    public var imsTokensIssued: Int { ims.issuedCount }

    /// Revoke all IMS tokens: the next SaaS call with an old token gets 401.
    public func revokeIMSTokens() { ims.revokeAll() }

    /// Answer the next `count` REST calls with 429 (and `Retry-After` when configured).
    public func injectRateLimit(count: Int, retryAfterSeconds: Int? = nil) {
        lock.withLock {
            rateLimitNext = count
            if let retryAfterSeconds { self.retryAfterSeconds = retryAfterSeconds }
        }
    }

    /// Delay every REST answer by this much.
    public func setLatency(milliseconds: Int) { lock.withLock { latencyMs = milliseconds } }

    /// Counters for tests and the admin `GET /_sim/stats`.
    public var stats: [String: Int] {
        let (sent, failed) = emitter.counts
        return lock.withLock {
            ["requests": requestCount, "write_requests": writeRequestCount, "rate_limited": rateLimitedCount, "products": products.count,
             "customers": customers.count, "orders": orders.count, "invoices": invoices.count,
             "ims_tokens_issued": ims.issuedCount, "oauth_nonces": oauth.nonceCount,
             "webhooks_sent": sent, "webhooks_failed": failed]
        }
    }

    /// Magento's `"YYYY-MM-DD HH:MM:SS"` in UTC.
    /// (`gmtime_r`, not a `DateFormatter` per call: every saved product stamps one.)
    static func timestamp(_ date: Date = Date()) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var t = tm()
        gmtime_r(&seconds, &t)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", Int(t.tm_year) + 1900, Int(t.tm_mon) + 1, Int(t.tm_mday),
                      Int(t.tm_hour), Int(t.tm_min), Int(t.tm_sec))
    }
}
