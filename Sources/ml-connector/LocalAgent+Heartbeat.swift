import Connector
import Foundation
import GP
import HTTPClient

/// The heartbeat: who the agent is, which calls it still works on (the server extends their
/// leases), and its own GP ping, so the tenant shows whether the agent can reach GP at all.
extension LocalAgent {
    func heartbeatLoop() {
        let http = HTTPClient(logger: logger)
        let host = ProcessInfo.processInfo.hostName
        var failures = 0
        var lastPingAt = Date.distantPast
        while !isStopping {
            condition.lock()
            let beat = AgentHeartbeat(agentID: agentID, version: Self.version, hostname: host,
                                      inFlight: Array(inFlight), gpPing: lastPing,
                                      insecureTransport: configuration.insecureTransport ? true : nil)
            condition.unlock()
            do {
                let reply = try configuration.server.heartbeat(http, beat)
                let first: Bool
                condition.lock()
                first = tenantGP == nil
                let switched = tenantGP?.credentials?.source != reply.credentials?.source
                    || tenantGP?.credentials?.username != reply.credentials?.username
                    || tenantGP?.credentials?.password != reply.credentials?.password
                tenantGP = reply
                condition.broadcast()
                condition.unlock()
                if first || failures > 0 {
                    logger.info("connected to the server", metadata: ["agent_id": "\(agentID)", "company_url": "\(reply.companyURL)",
                                                                     "gp_credentials": "\((reply.credentials ?? .agent).source.rawValue)"])
                } else if switched {
                    logger.info("the tenant's GP credentials setting changed",
                                metadata: ["gp_credentials": "\((reply.credentials ?? .agent).source.rawValue)"])
                }
                failures = 0
                // New credentials (or a new source) are worth a fresh ping at once.
                if switched && !first { lastPingAt = .distantPast }
            } catch {
                failures += 1
                backoff(failures, what: "heartbeat", error)
                continue
            }
            if Date().timeIntervalSince(lastPingAt) >= configuration.gpPingInterval {
                lastPingAt = Date()
                let ping = pingGP()
                condition.lock()
                let changed = lastPing?.ok != ping?.ok
                lastPing = ping
                condition.unlock()
                if let ping, changed {
                    logger.info("GP ping", metadata: ["ok": "\(ping.ok)", "status": "\(ping.status)", "message": "\(ping.message)"])
                }
                if changed { continue }  // report the new ping at once
            }
            sleep(configuration.heartbeatInterval)
        }
    }

    /// Pings the tenant's GP company from here, with the credentials the tenant's setting picks.
    func pingGP() -> AgentGPPing? {
        condition.lock()
        let gp = tenantGP
        condition.unlock()
        guard let gp else { return nil }
        let company: GPCompany
        do { company = try GPCompany(url: gp.companyURL) } catch {
            return AgentGPPing(ok: false, status: "error", httpStatus: nil, latencyMs: nil,
                               message: "The tenant's company URL is not usable: \(error.message)",
                               at: Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        }
        // The tenant's `gp.sba` as the server sent it (its relayed calls use the same), with
        // person-sized timeouts: the ping's result is shown on the tenant.
        var settings = gp.gpSBA ?? GP.GPSettings()
        settings.connectTimeout = min(settings.connectTimeout, 5)
        settings.requestTimeout = min(settings.requestTimeout, 15)
        let credentials: GPLogin
        switch login(for: gp) {
        case .success(let l): credentials = l
        case .failure(let problem):
            return AgentGPPing(ok: false, status: PingResult.Status.unauthorized.rawValue, httpStatus: nil, latencyMs: nil,
                               message: problem.detail, at: Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        }
        let client = GPClient(company: company, settings: settings, transport: gpTransport(auth: configuration.gpAuth ?? gp.gpAuth, login: credentials),
                              tenant: "agent", logger: logger)
        return AgentGPPing(client.ping(), company: company.name)
    }
}
