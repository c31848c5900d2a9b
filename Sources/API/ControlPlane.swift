import Connector
import Crypto
import HTTPServer
import Logging
import Postgres

/// The API module owns the control plane's HTTP surface: tenants, their tokens, ping and the
/// OpenAPI document, with bearer-token authorization and JSON errors. `ControlPlane` wires the
/// stores to routes; the server, `/healthz`, `/readyz` and `/metrics` belong to the caller.
///
/// ```swift
/// let plane = ControlPlane(pool: pool, keyring: keyring, logger: logger)
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

        public init() {}
    }

    public let tenants: TenantStore
    public let tokens: TokenStore
    public let authenticator: Authenticator
    public let configuration: Configuration
    let logger: Logger
    let spec: OpenAPIDocument

    public init(pool: ConnectionPool, keyring: Keyring, logger: Logger, configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.logger = logger
        tenants = TenantStore(pool: pool, vault: Vault(keyring: keyring), validator: configuration.validator)
        tokens = TokenStore(pool: pool)
        authenticator = Authenticator(tokens: tokens,
                                      limiter: AuthFailureLimiter(maxFailures: configuration.authFailureLimit, window: configuration.authFailureWindow),
                                      clientAddress: configuration.clientAddress)
        spec = OpenAPIDocument(path: configuration.openAPIPath)
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
    }

    /// Adds the control plane's counters to the process's `/metrics` (nothing secret).
    public func registerMetrics(on metrics: Metrics) {
        metrics.counter("mlc_auth_failures_total", help: "Requests refused because their bearer token was invalid.") {
            [authenticator] in Double(authenticator.failureCount)
        }
        metrics.counter("mlc_auth_rate_limited_total", help: "Requests refused with 429 after too many failed authentications.") {
            [authenticator] in Double(authenticator.rateLimitedCount)
        }
    }
}
