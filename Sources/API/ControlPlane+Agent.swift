import Connector
import Foundation
import HTTPServer

/// `/v1/agent/*`: the local agent's long poll, its results and its heartbeat (agent tokens only),
/// and the `agent` block of a tenant.
extension ControlPlane {
    func registerAgentRoutes(on router: inout Router) {
        router.add(.POST, "/v1/agent/poll", maxBodyBytes: configuration.maxSmallBodyBytes) { try agentPoll($0) }
        router.add(.POST, "/v1/agent/results", maxBodyBytes: configuration.maxAgentResultBodyBytes) { try agentResults($0) }
        router.add(.POST, "/v1/agent/heartbeat", maxBodyBytes: 64 * 1024) { try agentHeartbeat($0) }
    }

    func agentPoll(_ request: Request) throws(HTTPError) -> Response {
        let tenant = try authenticator.agentTenant(request)
        let relay = try agentRelay()
        let body = request.body.isEmpty ? AgentPollRequest() : try decodeAgentBody(AgentPollRequest.self, request)
        let agent = request.headers["X-Agent-Id"].map { String($0.prefix(64)) } ?? ""
        let calls = try relayed {
            try relay.poll(pool, tenant: tenant.rawValue, agent: agent, maxCalls: body.maxCalls ?? 1,
                           wait: body.waitSeconds ?? relay.configuration.maxPollWaitSeconds)
        }
        return Response.json(AgentPollReply(calls: calls, leaseSeconds: relay.configuration.leaseSeconds))
    }

    func agentResults(_ request: Request) throws(HTTPError) -> Response {
        let tenant = try authenticator.agentTenant(request)
        let relay = try agentRelay()
        let body = try decodeAgentBody(AgentResultsRequest.self, request)
        guard (1...100).contains(body.results.count) else {
            throw HTTPError.badRequest("validation_failed", "results must hold 1 to 100 results.", details: ["field": "results"])
        }
        let entries = try relayed { try relay.store(pool, tenant: tenant.rawValue, results: body.results) }
        return Response.json(AgentResultsReply(results: entries))
    }

    func agentHeartbeat(_ request: Request) throws(HTTPError) -> Response {
        let tenant = try authenticator.agentTenant(request)
        let relay = try agentRelay()
        let beat = try decodeAgentBody(AgentHeartbeat.self, request)
        guard !beat.agentID.isEmpty else {
            throw HTTPError.badRequest("validation_failed", "agent_id must not be empty.", details: ["field": "agent_id"])
        }
        let found = try existing(tenant)
        let settings = found.settings.gp
        try relayed { try relay.heartbeat(pool, tenant: tenant.rawValue, beat) }
        let credentials = try agentCredentials(tenant, settings, insecureTransport: beat.insecureTransport == true)
        return Response.json(AgentHeartbeatReply(companyURL: settings.companyURL.normalized, gpAuth: settings.auth.rawValue,
                                                 heartbeatSeconds: relay.configuration.heartbeatSeconds, credentials: credentials,
                                                 gpSBA: found.gpSBASettings))
    }

    /// What the tenant's `gp.agent_credentials` says: nothing (`agent`), or its stored user and
    /// password opened from the vault (`server`) — except to an agent on plain http to another
    /// machine, which gets the reason instead. Only this reply ever carries the password.
    func agentCredentials(_ tenant: TenantID, _ gp: GPSettings, insecureTransport: Bool) throws(HTTPError) -> AgentGPCredentials {
        guard gp.agentCredentials == .server else { return .agent }
        if insecureTransport {
            return AgentGPCredentials(source: .server, withheld: "The agent reaches the server over plain http to another machine: "
                + "the server does not send GP credentials over it. Use an https:// --server URL.")
        }
        let secrets: SecretValues
        do { secrets = try tenants.secrets(of: tenant) } catch { throw APIErrors.store(error) }
        guard let user = gp.username, !user.isEmpty, let password = secrets[.gpPassword] else {
            return AgentGPCredentials(source: .server, withheld: "The tenant has gp.agent_credentials server but no stored "
                + "gp.username and gp.password: set them on the tenant.")
        }
        return AgentGPCredentials(source: .server, username: user, password: password)
    }

    /// `tenant`'s public document with `agent`: its agent's last heartbeat, or null.
    func withAgentStatus(_ tenant: Tenant) -> DocumentValue {
        guard case .object(var root) = tenant.publicDocument else { return tenant.publicDocument }
        var agent = DocumentValue.null
        if let relay = configuration.agentRelay, let status = try? relay.agentStatus(pool, tenant: tenant.id.rawValue) {
            var ping = DocumentValue.null
            if let p = status.gpPing {
                ping = .object([
                    "ok": .bool(p.ok), "status": .string(p.status), "http_status": p.httpStatus.map { .number(Double($0)) } ?? .null,
                    "latency_ms": p.latencyMs.map { .number($0) } ?? .null, "message": .string(p.message), "at": .string(p.at),
                ])
            }
            agent = .object([
                "agent_id": .string(status.agentID), "version": .string(status.version), "hostname": .string(status.hostname),
                "last_seen": ControlPlane.timestamp(status.lastSeen), "gp_ping": ping,
            ])
        }
        root["agent"] = agent
        return .object(root)
    }

    /// Relay work that borrows pooled connections itself, only while it touches the database
    /// (a long poll must not hold one while it waits); failures answer 503.
    private func relayed<T>(_ body: () throws -> T) throws(HTTPError) -> T {
        do { return try body() } catch {
            logger.error("agent relay operation failed", metadata: ["error": "\(error)"])
            throw HTTPError(status: .serviceUnavailable, code: "database_unavailable",
                            message: "The database did not complete the request; try again shortly.", headers: ["Retry-After": "1"])
        }
    }

    private func agentRelay() throws(HTTPError) -> AgentRelay {
        guard let relay = configuration.agentRelay else {
            throw HTTPError(status: .serviceUnavailable, code: "agent_relay_unavailable",
                            message: "This server process does not relay agent calls.", headers: ["Retry-After": "5"])
        }
        return relay
    }

    private func decodeAgentBody<T: Decodable>(_ type: T.Type, _ request: Request) throws(HTTPError) -> T {
        guard let contentType = request.headers["Content-Type"], ControlPlane.isJSON(contentType) else {
            throw HTTPError(status: .unsupportedMediaType, code: "unsupported_media_type",
                            message: "The request body must be sent as application/json.")
        }
        do { return try JSONDecoder().decode(type, from: Data(request.body)) } catch {
            throw HTTPError.badRequest("invalid_json", "The body is not a valid \(T.self) document.")
        }
    }
}
