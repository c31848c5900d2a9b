import Postgres

/// What can go wrong storing or loading a tenant, each with a stable code. Database messages are
/// not passed through verbatim: their details may quote values a client sent.
public enum TenantStoreError: Error, Sendable, CustomStringConvertible {
    case notFound(TenantID)
    /// A unique value is taken (`field` is `id` or `name`), or other rows still need the tenant.
    case conflict(field: String, message: String)
    case invalid(TenantValidationError)
    case invalidPatch(String)
    /// The stored document no longer passes validation (e.g. edited by hand in the database).
    case corrupt(TenantID)
    case vault(VaultError)
    case database(code: String, message: String)

    public var code: String {
        switch self {
        case .notFound: "tenant_not_found"
        case .conflict: "conflict"
        case .invalid(let e): e.code
        case .invalidPatch: "invalid_patch"
        case .corrupt: "tenant_corrupt"
        case .vault(let e): e.code
        case .database(let code, _): code
        }
    }

    public var message: String {
        switch self {
        case .notFound(let id): "No tenant with id \(id)."
        case .conflict(_, let m): m
        case .invalid(let e): e.message
        case .invalidPatch(let m): m
        case .corrupt(let id): "The stored settings of tenant \(id) do not pass validation; fix them with PATCH."
        case .vault(let e): e.message
        case .database(_, let m): m
        }
    }

    public var description: String { "\(code): \(message)" }

    static func from(_ error: any Error) -> TenantStoreError {
        switch error {
        case let e as TenantStoreError: return e
        case let e as VaultError: return .vault(e)
        case let e as TenantValidationError: return .invalid(e)
        case let e as PostgresError:
            if e.isUniqueViolation {
                if e.constraint == "tenants_name_unique" {
                    return .conflict(field: "name", message: "A tenant with this name already exists.")
                }
                return .conflict(field: "id", message: "A tenant with this id already exists.")
            }
            if e.sqlState == "23503" {
                return .conflict(field: "id", message: "Other records still refer to this tenant.")
            }
            return .database(code: "database_unavailable", message: "The database could not complete the request (\(e.code.rawValue)).")
        default:
            return .database(code: "internal_error", message: "Unexpected storage failure.")
        }
    }
}
