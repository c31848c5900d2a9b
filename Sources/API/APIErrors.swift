import Connector
import HTTPServer

/// How domain errors become HTTP answers. Every message comes from the error's own `message`,
/// which never contains a submitted value or a secret.
enum APIErrors {
    static func tenantNotFound(_ id: TenantID) -> HTTPError {
        HTTPError(status: .notFound, code: "tenant_not_found", message: "No tenant with id \(id).", details: ["tenant": .string(id.rawValue)])
    }

    static func validation(_ e: TenantValidationError) -> HTTPError {
        let fields: [JSONValue] = e.issues.map { .object(["field": .string($0.field), "code": .string($0.code), "message": .string($0.message)]) }
        return HTTPError(status: .badRequest, code: e.code, message: e.message,
                         details: ["field": .string(e.issues.first?.field ?? ""), "fields": .array(fields)])
    }

    static func store(_ e: TenantStoreError) -> HTTPError {
        switch e {
        case .notFound(let id): tenantNotFound(id)
        case .conflict(let field, let message):
            HTTPError(status: .conflict, code: field == "name" ? "name_taken" : (message.contains("refer") ? "tenant_in_use" : "id_taken"),
                      message: message, details: ["field": .string(field)])
        case .invalid(let v): validation(v)
        case .invalidPatch(let m): .badRequest("invalid_patch", m)
        case .corrupt, .vault:
            HTTPError(status: .internalServerError, code: e.code, message: e.message)
        case .database(let code, let message):
            HTTPError(status: .serviceUnavailable, code: code, message: message, headers: ["Retry-After": "1"])
        }
    }

    static func tokens(_ e: TokenStoreError) -> HTTPError {
        switch e {
        case .tenantNotFound: HTTPError(status: .notFound, code: e.code, message: e.message)
        case .unavailable: HTTPError(status: .serviceUnavailable, code: e.code, message: e.message, headers: ["Retry-After": "1"])
        }
    }
}
