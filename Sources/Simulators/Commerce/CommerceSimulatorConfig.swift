/// Everything that shapes the simulated Commerce instance. Defaults behave like Adobe Commerce
/// 2.4.4+ on PaaS with input limits off, plus an IMS endpoint for the SaaS flavour.
public struct CommerceSimulatorConfig: Sendable {
    /// An Integration: its four OAuth secrets (32 × `[0-9a-z]` each) and whether it is active.
    public struct Integration: Sendable {
        public var id: Int
        public var consumerKey: String
        public var consumerSecret: String
        public var accessToken: String
        public var accessTokenSecret: String
        public var active: Bool

        public init(id: Int, consumerKey: String, consumerSecret: String,
                    accessToken: String, accessTokenSecret: String, active: Bool = true) {
            self.id = id
            self.consumerKey = consumerKey
            self.consumerSecret = consumerSecret
            self.accessToken = accessToken
            self.accessTokenSecret = accessTokenSecret
            self.active = active
        }
    }

    /// An Adobe Developer Console server-to-server credential.
    public struct IMSClient: Sendable {
        public var clientId: String
        public var clientSecret: String
        public init(clientId: String, clientSecret: String) {
            self.clientId = clientId
            self.clientSecret = clientSecret
        }
    }

    /// Where placed orders and invoices are announced (Adobe Commerce Webhooks, synchronous).
    public struct Webhook: Sendable {
        public var url: String
        /// Hard timeout in ms (Commerce's `timeout`; 0 = none).
        public var timeoutMs: Int
        /// Commerce's `softTimeout` in ms: only logged (counted here).
        public var softTimeoutMs: Int
        /// A required hook that fails aborts the checkout with `fallbackErrorMessage`.
        public var required: Bool
        public var fallbackErrorMessage: String
        /// Sign with the simulator's key (Commerce: Webhooks > Enabled + Regenerate key pair).
        public var signed: Bool
        public var orderEventName: String
        public var invoiceEventName: String
        public var headers: [String: String]

        public init(url: String, timeoutMs: Int = 5000, softTimeoutMs: Int = 1000, required: Bool = true,
                    fallbackErrorMessage: String = "The order could not be placed. Please try again later.",
                    signed: Bool = true, orderEventName: String = "sales_order_place_before",
                    invoiceEventName: String = "sales_order_invoice_save_after", headers: [String: String] = [:]) {
            self.url = url
            self.timeoutMs = timeoutMs
            self.softTimeoutMs = softTimeoutMs
            self.required = required
            self.fallbackErrorMessage = fallbackErrorMessage
            self.signed = signed
            self.orderEventName = orderEventName
            self.invoiceEventName = invoiceEventName
            self.headers = headers
        }
    }

    public var host: String
    /// 0 picks a free port.
    public var port: Int
    public var integrations: [Integration]
    public var imsClients: [IMSClient]
    /// `expires_in` of issued IMS tokens (Adobe: 86,399 s); short values test refresh.
    public var imsTokenExpiresIn: Int
    /// Magento rejects a timestamp more than this far in the future (`TIME_DEVIATION`); there is no past limit.
    public var timestampFutureWindow: Int
    /// Commerce ≤ 2.4.3 accepted HMAC-SHA1; 2.4.4+ answers 400.
    public var acceptSHA1: Bool
    /// `oauth/consumer/enable_integration_as_bearer` (default off since 2.4.4).
    public var integrationTokenAsBearer: Bool
    /// Sort signed parameters like Laminas (`strnatcmp`) instead of byte order.
    public var naturalParameterSort: Bool
    /// Extra delay before every REST answer.
    public var latencyMs: Int
    /// Value of `Retry-After` on injected 429s (nil: send none, like core Magento).
    public var retryAfterSeconds: Int?
    /// Whether the async bulk consumer (`async.operations.all`) runs from the start.
    public var bulkConsumerRunning: Bool
    public var webhook: Webhook?
    /// PEM of the webhook signing key (PKCS#8 or PKCS#1); nil generates an RSA-2048 key.
    public var webhookPrivateKeyPEM: String?
    /// Increment id prefix of placed orders and invoices (Magento's default store uses none: `000000001`).
    public var incrementPrefix: String

    public init(host: String = "127.0.0.1", port: Int = 0,
                integrations: [Integration] = [CommerceSimulatorConfig.defaultIntegration],
                imsClients: [IMSClient] = [CommerceSimulatorConfig.defaultIMSClient],
                imsTokenExpiresIn: Int = 86_399, timestampFutureWindow: Int = 600,
                acceptSHA1: Bool = false, integrationTokenAsBearer: Bool = false,
                naturalParameterSort: Bool = false, latencyMs: Int = 0, retryAfterSeconds: Int? = 5,
                bulkConsumerRunning: Bool = true, webhook: Webhook? = nil,
                webhookPrivateKeyPEM: String? = nil, incrementPrefix: String = "") {
        self.host = host
        self.port = port
        self.integrations = integrations
        self.imsClients = imsClients
        self.imsTokenExpiresIn = imsTokenExpiresIn
        self.timestampFutureWindow = timestampFutureWindow
        self.acceptSHA1 = acceptSHA1
        self.integrationTokenAsBearer = integrationTokenAsBearer
        self.naturalParameterSort = naturalParameterSort
        self.latencyMs = latencyMs
        self.retryAfterSeconds = retryAfterSeconds
        self.bulkConsumerRunning = bulkConsumerRunning
        self.webhook = webhook
        self.webhookPrivateKeyPEM = webhookPrivateKeyPEM
        self.incrementPrefix = incrementPrefix
    }

    /// Fixed, documented demo credentials (a simulator has nothing to protect).
    public static let defaultIntegration = Integration(
        id: 1,
        consumerKey: "simconsumerkey000000000000000001",
        consumerSecret: "simconsumersecret000000000000001",
        accessToken: "simaccesstoken000000000000000001",
        accessTokenSecret: "simaccesstokensecret000000000001")

    public static let defaultIMSClient = IMSClient(clientId: "sim-client-id", clientSecret: "sim-client-secret")
}
