import Commerce
import Foundation
import GP
import HTTPClient
import Logging

/// Turns a stored tenant and its opened secrets into live clients: a `GPClient` for its GP
/// company and a `CommerceClient` for its store, plus the flow settings derived from the tenant
/// document. Built per job (cheap: no connection is opened until the first call; each worker
/// thread keeps its own libcurl handle and connections inside the transports).
///
/// **GP concurrency.** The GP client gets no in-process gate (`UnlimitedGPCallGate`). Every job
/// kind that talks to GP is registered `usesGP: true`, so the queue hands it out only while it can
/// take one of the tenant's GP slots (`queue_gp_slots`, sized by `setTenantLimit` from the
/// tenant's `gp.max_parallel_calls`), and holds that slot until the job finishes. A job makes its
/// GP calls one after another on its worker thread, so at most `max_parallel_calls` GP requests of
/// one tenant are in flight at any time — across all threads and all `serve`/`worker` processes,
/// because the slots live in the database.
public struct TenantClients: Sendable {
    /// One IMS token cache for the whole process: tokens are per tenant and live ~24 h, so every
    /// job of a tenant reuses the same token instead of asking IMS again.
    public static let sharedTokenCache = IMSTokenCache()

    public let tenant: Tenant
    public let gp: GPClient
    public let commerce: CommerceClient

    /// - Parameters:
    ///   - gpSettings: SBA surface assumptions (paths, envelope, paging, timeouts); nil takes the
    ///     tenant's own (`gp.sba`, `Tenant.gpSBASettings`).
    ///   - onGPCall: sees every finished GP call (without credentials), e.g. `CallLog.gpObserver`
    ///     for a record's audit trail.
    ///   - agentRelay: carries the GP calls of a tenant with `gp.connection: agent`; without it
    ///     such a tenant fails with `gp_agent_not_available`.
    public init(tenant: Tenant, secrets: SecretValues, gpSettings: GP.GPSettings? = nil,
                tokenCache: IMSTokenCache = TenantClients.sharedTokenCache,
                logger: Logger = Logger(label: "mlc.runtime"), agentRelay: AgentRelay? = nil,
                onGPCall: (@Sendable (GPCallRecord) -> Void)? = nil) throws(RuntimeError) {
        self.tenant = tenant
        gp = try Self.gpClient(tenant, secrets: secrets, settings: gpSettings ?? tenant.gpSBASettings, logger: logger,
                               agentRelay: agentRelay, onCall: onGPCall)
        commerce = try Self.commerceClient(tenant, secrets: secrets, tokenCache: tokenCache, logger: logger)
    }

    static func httpTLS(_ tls: TLSSettings) -> HTTPTLS {
        if !tls.verify { return .insecureSkipVerification }
        if let pem = tls.caPEM, !pem.isEmpty { return .trusting(caPEM: pem) }
        return .standard
    }

    /// An agent tenant's client sends through the relay with no credentials: its agent holds them
    /// (docs/agent.md). A direct tenant's client authenticates with the stored ones.
    static func gpClient(_ tenant: Tenant, secrets: SecretValues, settings: GP.GPSettings, logger: Logger,
                         agentRelay: AgentRelay? = nil,
                         onCall: (@Sendable (GPCallRecord) -> Void)? = nil) throws(RuntimeError) -> GPClient {
        let gp = tenant.settings.gp
        if gp.connection == .agent {
            guard let agentRelay else { throw .agentNotAvailable }
            let company: GPCompany
            do { company = try GPCompany(url: gp.companyURL.normalized) } catch { throw .invalidGPCompany(error.message) }
            return GPClient(company: company, settings: settings, transport: agentRelay.transport(tenant: tenant.id.rawValue),
                            tenant: tenant.id.rawValue, logger: logger, onCall: onCall)
        }
        guard let user = gp.username, !user.isEmpty else { throw .missingUsername }
        guard let password = secrets[.gpPassword] else { throw .missingSecret(.gpPassword) }
        let auth: HTTPAuth = switch gp.auth {
        case .ntlm: .ntlm(user: user, password: password)
        case .negotiate: .negotiate(user: user, password: password)
        case .basic: .basic(user: user, password: password)
        }
        let company: GPCompany
        do { company = try GPCompany(url: gp.companyURL.normalized) } catch { throw .invalidGPCompany(error.message) }
        let transport = GPDirectTransport(auth: auth, tls: httpTLS(gp.tls), connectTimeout: settings.connectTimeout)
        return GPClient(company: company, settings: settings, transport: transport, tenant: tenant.id.rawValue, logger: logger,
                        onCall: onCall)
    }

    static func commerceClient(_ tenant: Tenant, secrets: SecretValues, tokenCache: IMSTokenCache,
                               logger: Logger) throws(RuntimeError) -> CommerceClient {
        let c = tenant.settings.commerce
        let base = c.baseURL
        let flavour: Commerce.CommerceSettings.Flavour
        let baseURL: String
        switch base.kind {
        case .paas:
            flavour = .paas(storeCode: c.storeCode)
            baseURL = base.normalized
        case .saas:
            // The tenant id is the URL's one path segment; the client adds it back to each call.
            flavour = .saas(tenantId: String(base.path.drop(while: { $0 == "/" })), store: c.storeCode)
            baseURL = base.scheme + "://" + base.host + (base.port.map { ":\($0)" } ?? "")
        }
        let auth: Commerce.CommerceSettings.Auth
        switch c.auth {
        case .oauth1:
            func secret(_ field: SecretField) throws(RuntimeError) -> String {
                guard let value = secrets[field] else { throw .missingSecret(field) }
                return value
            }
            auth = .oauth1(OAuth1Credentials(
                consumerKey: try secret(.commerceConsumerKey), consumerSecret: try secret(.commerceConsumerSecret),
                accessToken: try secret(.commerceAccessToken), accessTokenSecret: try secret(.commerceAccessTokenSecret)))
        case .ims(let ims):
            guard let clientSecret = secrets[.commerceClientSecret] else { throw .missingSecret(.commerceClientSecret) }
            auth = .ims(IMSCredentials(clientId: ims.clientID, clientSecret: clientSecret, orgId: ims.orgID,
                                       scopes: ims.scopes, tokenURL: ims.tokenURL))
        }
        let settings = Commerce.CommerceSettings(baseURL: baseURL, flavour: flavour, auth: auth)
        return CommerceClient(tenant: tenant.id.rawValue, settings: settings,
                              transport: CommerceHTTPClientTransport(tls: httpTLS(c.tls)), tokenCache: tokenCache,
                              logger: logger)
    }
}
