import Commerce
import Foundation
import GP
import Logging

/// Reaches a tenant's real GP and Commerce with its stored credentials (`GPClient.ping()`,
/// `CommerceClient.ping()`) and names the outcome with a `PingResult` status a person can act on:
/// DNS, refused connection, TLS, timeout, credentials, wrong company or path.
public struct LiveTenantProbe: TenantProbe {
    /// Caps on the tenant's own GP timeouts (`gp.sba`): a person is waiting for the answer.
    public let maxConnectTimeout: Double
    public let maxRequestTimeout: Double
    /// Carries the ping of an agent tenant through its local agent.
    public let agentRelay: AgentRelay?

    public init(maxConnectTimeout: Double = 5, maxRequestTimeout: Double = 15, agentRelay: AgentRelay? = nil) {
        self.maxConnectTimeout = maxConnectTimeout
        self.maxRequestTimeout = maxRequestTimeout
        self.agentRelay = agentRelay
    }

    /// The tenant's SBA settings (paths, envelope…) with the ping's shorter timeouts.
    public func pingGPSettings(_ tenant: Tenant) -> GP.GPSettings {
        var s = tenant.gpSBASettings
        s.connectTimeout = min(s.connectTimeout, maxConnectTimeout)
        s.requestTimeout = min(s.requestTimeout, maxRequestTimeout)
        return s
    }

    public func pingGP(_ tenant: Tenant, secrets: SecretValues) -> PingResult {
        let client: GPClient
        do {
            client = try TenantClients.gpClient(tenant, secrets: secrets, settings: pingGPSettings(tenant), logger: Logger(label: "mlc.ping"),
                                                agentRelay: agentRelay)
        } catch {
            return PingResult(status: .error, message: error.message)
        }
        let ping = client.ping()
        if ping.ok {
            return PingResult(status: .ok, latencyMS: Double(ping.latencyMs),
                              message: "GP answered for company \(client.company.name) (\(ping.checked.joined(separator: ", "))).")
        }
        let error = ping.error ?? .badResponse(detail: "no answer")
        return PingResult(status: Self.status(of: error), httpStatus: Self.httpStatus(of: error),
                          latencyMS: Double(ping.latencyMs), message: error.message + " " + error.suggestedFix)
    }

    public func pingCommerce(_ tenant: Tenant, secrets: SecretValues) -> PingResult {
        let client: CommerceClient
        do {
            client = try TenantClients.commerceClient(tenant, secrets: secrets, tokenCache: TenantClients.sharedTokenCache,
                                                      logger: Logger(label: "mlc.ping"))
        } catch {
            return PingResult(status: .error, message: error.message)
        }
        let ping = client.ping()
        if ping.ok {
            return PingResult(status: .ok, latencyMS: Double(ping.latencyMs), message: "Adobe Commerce answered a product search.")
        }
        let error = ping.error ?? .invalidResponse(message: "no answer")
        return PingResult(status: Self.status(of: error), httpStatus: Self.httpStatus(of: error),
                          latencyMS: Double(ping.latencyMs), message: error.message)
    }

    static func status(of error: GPError) -> PingResult.Status {
        switch error {
        case .unreachable(let detail): transportStatus(detail)
        case .tlsFailed: .tlsError
        case .timeout: .timeout
        case .authenticationFailed: .unauthorized
        case .accessDenied: .forbidden
        case .companyNotFound, .notFound: .notFound
        case .serviceUnavailable, .unexpectedStatus: .httpError
        default: .error
        }
    }

    static func httpStatus(of error: GPError) -> Int? {
        switch error {
        case .authenticationFailed: 401
        case .accessDenied: 403
        case .companyNotFound, .notFound: 404
        case .serviceUnavailable(let status, _), .unexpectedStatus(let status, _): status
        default: nil
        }
    }

    static func status(of error: CommerceError) -> PingResult.Status {
        switch error {
        case .transport(let message): transportStatus(message)
        case .unauthorized, .imsToken: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .rejected, .rateLimited, .serverError, .unexpectedStatus: .httpError
        default: .error
        }
    }

    static func httpStatus(of error: CommerceError) -> Int? {
        switch error {
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound: 404
        case .rateLimited: 429
        case .rejected(let status, _), .serverError(let status, _), .unexpectedStatus(let status, _): status
        default: nil
        }
    }

    /// Transport failures arrive as `HTTPClientError.message` texts (the GP and Commerce errors
    /// keep only the sentence); their wording is stable, so the cause is read back from it.
    static func transportStatus(_ text: String) -> PingResult.Status {
        if text.contains("could not resolve") { return .dnsError }
        if text.contains("TLS handshake") { return .tlsError }
        if text.contains(" within ") { return .timeout }
        if text.contains("could not connect") { return .connectionRefused }
        return .error
    }
}
