import Connector
import HTTPServer

/// `/v1/tenants` and `/v1/tenants/{tenant}`: register, list, read, patch, remove.
extension ControlPlane {
    func createTenant(_ request: Request) throws(HTTPError) -> Response {
        let caller = try authenticator.controlPlaneCaller(request)
        try authenticator.requireAdmin(caller)
        let doc = try document(request)
        let validated: ValidatedTenant
        do { validated = try configuration.validator.validate(doc, keptSecrets: []) } catch { throw APIErrors.validation(error) }
        let tenant: Tenant
        do { tenant = try tenants.create(validated) } catch { throw APIErrors.store(error) }
        logger.info("tenant registered", metadata: ["tenant": "\(tenant.id)", "token": "\(caller.token.id)"])
        var response = ControlPlane.json(tenant.publicDocument, status: .created)
        response.headers.set("Location", "/v1/tenants/\(tenant.id)")
        return response
    }

    func listTenants(_ request: Request) throws(HTTPError) -> Response {
        let caller = try authenticator.controlPlaneCaller(request)
        let query = try request.query()
        var limit = 100
        if let text = query["limit"] {
            guard let n = Int(text), (1...500).contains(n) else {
                throw HTTPError.badRequest("invalid_query", "limit must be an integer from 1 to 500.", details: ["field": "limit"])
            }
            limit = n
        }
        var after: TenantID?
        if let text = query["after"], !text.isEmpty {
            guard let id = TenantID(text) else {
                throw HTTPError.badRequest("invalid_query", "after must be a tenant id.", details: ["field": "after"])
            }
            after = id
        }
        var found: [Tenant]
        do {
            switch caller.token.scope {
            case .tenant(let own):
                // A tenant token lists only its own tenant.
                found = try tenants.tenant(own).map { [$0] } ?? []
                found = found.filter { after == nil || $0.id.rawValue > after!.rawValue }
            default:
                found = try tenants.list(limit: limit + 1, after: after)
            }
        } catch { throw APIErrors.store(error) }
        let more = found.count > limit
        found = Array(found.prefix(limit))
        return ControlPlane.json(.object([
            "tenants": .array(found.map(\.publicDocument)),
            "next_after": more ? .string(found.last!.id.rawValue) : .null,
        ]))
    }

    func getTenant(_ request: Request) throws(HTTPError) -> Response {
        let caller = try authenticator.controlPlaneCaller(request)
        let id = try authenticator.tenant(request, for: caller)
        guard case .object(var doc) = withAgentStatus(try existing(id)) else { return ControlPlane.json(.null) }
        // Only the single-tenant read carries the figures: a list would cost a count per tenant.
        doc["stats"] = try withDatabase { conn in try TenantStats.read(conn, tenant: id) }.document
        return ControlPlane.json(.object(doc))
    }

    func patchTenant(_ request: Request) throws(HTTPError) -> Response {
        let caller = try authenticator.controlPlaneCaller(request)
        let id = try authenticator.tenant(request, for: caller)
        let patch = try document(request)
        let tenant: Tenant
        defer { webhookKeys.invalidate(id.rawValue) }
        do { tenant = try tenants.patch(id, with: patch) } catch { throw APIErrors.store(error) }
        logger.info("tenant changed", metadata: ["tenant": "\(id)", "token": "\(caller.token.id)"])
        return ControlPlane.json(tenant.publicDocument)
    }

    func deleteTenant(_ request: Request) throws(HTTPError) -> Response {
        let caller = try authenticator.controlPlaneCaller(request)
        let id = try authenticator.tenant(request, for: caller)
        try authenticator.requireAdmin(caller)
        let deleted: Bool
        defer { webhookKeys.invalidate(id.rawValue) }
        do { deleted = try tenants.delete(id) } catch { throw APIErrors.store(error) }
        guard deleted else { throw APIErrors.tenantNotFound(id) }
        logger.info("tenant removed", metadata: ["tenant": "\(id)", "token": "\(caller.token.id)"])
        return Response(status: .noContent)
    }

    func existing(_ id: TenantID) throws(HTTPError) -> Tenant {
        let tenant: Tenant?
        do { tenant = try tenants.tenant(id) } catch { throw APIErrors.store(error) }
        guard let tenant else { throw APIErrors.tenantNotFound(id) }
        return tenant
    }
}
