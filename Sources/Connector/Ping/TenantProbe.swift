/// Reaches one side of a tenant (GP or Commerce) with its stored credentials and says how it
/// went, in words a person can act on. The GP and Commerce clients provide real probes; until
/// they exist `UnimplementedProbe` answers `not_implemented` for both sides.
public protocol TenantProbe: Sendable {
    func pingGP(_ tenant: Tenant, secrets: SecretValues) -> PingResult
    func pingCommerce(_ tenant: Tenant, secrets: SecretValues) -> PingResult
}

/// The outcome of reaching one system.
public struct PingResult: Sendable, Equatable {
    /// Why a ping failed, from the network up. Stable codes for dashboards.
    public enum Status: String, Sendable, CaseIterable {
        case ok
        case notImplemented = "not_implemented"
        case dnsError = "dns_error"
        case connectionRefused = "connection_refused"
        case tlsError = "tls_error"
        case timeout
        case unauthorized
        case forbidden
        case notFound = "not_found"
        case httpError = "http_error"
        case error
    }

    public var status: Status
    public var httpStatus: Int?
    public var latencyMS: Double?
    /// A plain-language sentence; never contains a secret.
    public var message: String

    public var ok: Bool { status == .ok }

    public init(status: Status, httpStatus: Int? = nil, latencyMS: Double? = nil, message: String) {
        self.status = status
        self.httpStatus = httpStatus
        self.latencyMS = latencyMS
        self.message = message
    }
}

public struct UnimplementedProbe: TenantProbe {
    public init() {}

    public func pingGP(_ tenant: Tenant, secrets: SecretValues) -> PingResult {
        PingResult(status: .notImplemented, message: "The GP client is not available in this build yet; GP was not contacted.")
    }

    public func pingCommerce(_ tenant: Tenant, secrets: SecretValues) -> PingResult {
        PingResult(status: .notImplemented, message: "The Commerce client is not available in this build yet; Commerce was not contacted.")
    }
}
