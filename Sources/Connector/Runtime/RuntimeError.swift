/// Why a tenant's clients could not be built or a job could not start, with a stable `code` and a
/// sentence a person can act on. Never carries a secret.
public enum RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    case tenantNotFound(String)
    case tenantUnreadable(code: String, message: String)
    case missingSecret(SecretField)
    case missingUsername
    case agentNotAvailable
    case invalidGPCompany(String)

    public var code: String {
        switch self {
        case .tenantNotFound: "tenant_not_found"
        case .tenantUnreadable(let code, _): code
        case .missingSecret: "secret_missing"
        case .missingUsername: "gp_username_missing"
        case .agentNotAvailable: "gp_agent_not_available"
        case .invalidGPCompany: "gp_invalid_company_url"
        }
    }

    public var message: String {
        switch self {
        case .tenantNotFound(let id): "No tenant with id \(id); the job cannot run."
        case .tenantUnreadable(_, let message): "The tenant could not be loaded: \(message)"
        case .missingSecret(let field): "The tenant has no \(field.rawValue) stored; set it with PATCH /v1/tenants/{id}."
        case .missingUsername: "The tenant has no gp.username; set it with PATCH /v1/tenants/{id}."
        case .agentNotAvailable:
            "The tenant reaches GP through the local agent, and this process has no agent relay."
        case .invalidGPCompany(let detail): "The GP company URL is not usable: \(detail)"
        }
    }

    public var description: String { "\(code): \(message)" }
}
