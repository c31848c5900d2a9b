import GP

/// A tenant's validated, non-secret settings: what the sync flows and clients read. Secrets are
/// kept apart in `SecretValues` and only the vault ever sees them together with a tenant id.
public struct TenantSettings: Sendable, Equatable {
    public var name: String
    public var gp: GPSettings
    public var commerce: CommerceSettings
    public var schedule: ScheduleSettings
    /// Which Commerce event posts, the guest customer, batch and exchange-rate conventions.
    public var posting = PostingOptions()
    /// Product fields the GP item does not carry (attribute set, visibility, websites, currency).
    public var items = ItemOptions()
    /// Customer groups, inactive / on-hold handling, the GP id attribute, countries.
    public var customers = CustomerMappingSettings()
}

public struct TLSSettings: Sendable, Equatable {
    public var verify: Bool = true
    /// Extra trusted CA certificates (PEM), for GP servers with an internal CA.
    public var caPEM: String?
    /// Lets an `http://` URL through validation; responses then carry an `insecure_http` warning.
    public var allowInsecureHTTP: Bool = false
}

public enum GPConnection: String, Sendable, CaseIterable {
    case direct, agent
}

public enum GPAuthMethod: String, Sendable, CaseIterable {
    case ntlm, negotiate, basic
}

/// Where an agent tenant's GP credentials come from: the agent's own flags, environment or file
/// (`agent`: the password never leaves the merchant's network), or the tenant's stored
/// `gp.username` and sealed `gp.password`, sent to its authenticated agent in the heartbeat
/// reply (`server`). Meaningless for `connection: direct`.
public enum GPAgentCredentials: String, Sendable, CaseIterable {
    case agent, server
}

public struct GPSettings: Sendable, Equatable {
    public var companyURL: CompanyURL
    public var connection: GPConnection = .direct
    public var auth: GPAuthMethod = .ntlm
    /// For `connection: agent`: whose GP credentials the agent uses (docs/agent.md).
    public var agentCredentials: GPAgentCredentials = .agent
    /// `DOMAIN\user` or `user@domain` (any plain name for basic); nil when the agent keeps it.
    public var username: String?
    public var tls = TLSSettings()
    public var maxParallelCalls = 3
    public var priceLevel: String?
    public var sites: [String] = []
    public var batchPrefix = "WEB"
    public var documentPrefix = "WEB"
    public var functionalCurrency: String?
    /// The SBA surface assumptions (paths, envelope, paging, timeouts): all UNCONFIRMED, so
    /// each is overridable per tenant (`gp.sba`); the defaults are `GP.GPSettings()`'s.
    public var sba = GP.GPSettings()
}

public struct IMSSettings: Sendable, Equatable {
    public static let defaultTokenURL = "https://ims-na1.adobelogin.com/ims/token/v3"
    public static let defaultScopes = ["openid", "AdobeID", "email", "profile", "additional_info.roles",
                                       "additional_info.projectedProductContext", "commerce.accs"]
    public var clientID: String
    public var orgID: String
    public var scopes: [String]
    public var tokenURL: String
}

public enum CommerceAuth: Sendable, Equatable {
    /// Integration credentials: consumer key/secret and access token/secret, all sealed.
    case oauth1
    /// Adobe IMS server-to-server credentials; the client secret is sealed.
    case ims(IMSSettings)

    public var typeName: String {
        switch self {
        case .oauth1: "oauth1"
        case .ims: "ims"
        }
    }

    /// The secrets this kind of authentication needs.
    public var secretFields: [SecretField] {
        switch self {
        case .oauth1: SecretField.oauth1
        case .ims: [.commerceClientSecret]
        }
    }
}

public struct CommerceSettings: Sendable, Equatable {
    public var baseURL: CommerceBaseURL
    public var storeCode = "default"
    public var auth: CommerceAuth
    /// PEM of the RSA key (≥ 2048 bits) that verifies the Commerce webhook signature.
    public var webhookPublicKey: String?
    public var tls = TLSSettings()
}

public struct ScheduleSettings: Sendable, Equatable {
    /// Seconds between runs; 0 turns that schedule off.
    public var itemsEveryS = 900
    public var customersEveryS = 900
    public var ordersBackstopEveryS = 300
}

/// A registration that passed validation: settings, the secrets sent with it, and the full set
/// of secret fields the tenant has once it is saved (sent now or kept from before).
public struct ValidatedTenant: Sendable, Equatable {
    public var id: TenantID?
    public var settings: TenantSettings
    public var newSecrets: SecretValues
    public var secretFields: Set<SecretField>

    /// Secrets stored before that this document no longer uses (e.g. OAuth 1 after a switch to IMS).
    public func obsoleteSecrets(stored: Set<SecretField>) -> Set<SecretField> {
        stored.subtracting(secretFields)
    }
}
