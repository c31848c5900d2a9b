import Connector
import HTTPServer

/// `/v1/tenants/{tenant}/tokens`: issue (shown once), list, revoke.
extension ControlPlane {
    func issueToken(_ request: Request) throws(HTTPError) -> Response {
        let caller = try authenticator.controlPlaneCaller(request)
        let id = try authenticator.tenant(request, for: caller)
        let body = try document(request)
        guard case .object(let fields) = body else {
            throw HTTPError.badRequest("validation_failed", "Expected a JSON object.", details: ["field": "(body)"])
        }
        for key in fields.keys.sorted() where !["scope", "name"].contains(key) {
            throw HTTPError.badRequest("validation_failed", "Invalid field \(key): Unknown field.", details: ["field": .string(key), "fields": .array([
                .object(["field": .string(key), "code": "unknown_field", "message": "Unknown field."])])])
        }
        let scope: TokenScope
        switch fields["scope"] ?? .string("tenant") {
        case .string("tenant"): scope = .tenant(id)
        case .string("agent"): scope = .agent(id)
        default:
            throw HTTPError.badRequest("validation_failed", "Invalid field scope: Must be one of: tenant, agent.", details: ["field": "scope", "fields": .array([
                .object(["field": "scope", "code": "invalid_choice", "message": "Must be one of: tenant, agent."])])])
        }
        var name = ""
        if let value = fields["name"], value != .null {
            guard case .string(let s) = value, s.count <= 200, !s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw HTTPError.badRequest("validation_failed", "Invalid field name: Must be a string of at most 200 characters.", details: ["field": "name", "fields": .array([
                    .object(["field": "name", "code": "invalid_format", "message": "Must be a string of at most 200 characters."])])])
            }
            name = s
        }
        _ = try existing(id)
        let issued: IssuedToken
        do { issued = try tokens.issue(scope: scope, name: name) } catch { throw APIErrors.tokens(error) }
        logger.info("token issued", metadata: ["tenant": "\(id)", "scope": "\(scope.kind)", "new_token": "\(issued.token.id)", "token": "\(caller.token.id)"])
        guard case .object(var doc) = ControlPlane.document(issued.token) else { return Response(status: .internalServerError) }
        doc["token"] = .string(issued.bearer)
        var response = ControlPlane.json(.object(doc), status: .created)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    func listTokens(_ request: Request) throws(HTTPError) -> Response {
        let caller = try authenticator.controlPlaneCaller(request)
        let id = try authenticator.tenant(request, for: caller)
        _ = try existing(id)
        let list: [APIToken]
        do { list = try tokens.list(tenant: id) } catch { throw APIErrors.tokens(error) }
        return ControlPlane.json(.object(["tokens": .array(list.map(ControlPlane.document))]))
    }

    func revokeToken(_ request: Request) throws(HTTPError) -> Response {
        let caller = try authenticator.controlPlaneCaller(request)
        let id = try authenticator.tenant(request, for: caller)
        let tokenID = request.parameters["token"] ?? ""
        let revoked: Bool
        do { revoked = try tokens.revoke(id: tokenID, tenant: id) } catch { throw APIErrors.tokens(error) }
        guard revoked else {
            throw HTTPError(status: .notFound, code: "token_not_found", message: "This tenant has no token with that id.")
        }
        logger.info("token revoked", metadata: ["tenant": "\(id)", "revoked_token": "\(tokenID)", "token": "\(caller.token.id)"])
        return Response(status: .noContent)
    }

    static func document(_ token: APIToken) -> DocumentValue {
        .object([
            "id": .string(token.id),
            "scope": .string(token.scope.kind),
            "tenant": token.scope.tenant.map { .string($0.rawValue) } ?? .null,
            "name": .string(token.name),
            "created_at": timestamp(token.createdAt),
            "last_used_at": timestamp(token.lastUsedAt),
        ])
    }
}
