import Foundation
import GP

/// `POST /v1/agent/heartbeat` body: who the agent is, the calls it is working on (their leases are
/// extended), and the result of its own last GP ping.
public struct AgentHeartbeat: Sendable, Codable, Equatable {
    /// Random per agent process: a restarted agent is a new id.
    public var agentID: String
    public var version: String
    public var hostname: String
    public var inFlight: [String]
    public var gpPing: AgentGPPing?
    /// True when the agent reaches the server over plain http to another machine: the server
    /// then never sends stored GP credentials to it, whatever the tenant says.
    public var insecureTransport: Bool?

    public init(agentID: String, version: String, hostname: String, inFlight: [String] = [], gpPing: AgentGPPing? = nil,
                insecureTransport: Bool? = nil) {
        self.agentID = agentID
        self.version = version
        self.hostname = hostname
        self.inFlight = inFlight
        self.gpPing = gpPing
        self.insecureTransport = insecureTransport
    }

    enum CodingKeys: String, CodingKey {
        case version, hostname
        case agentID = "agent_id"
        case inFlight = "in_flight"
        case gpPing = "gp_ping"
        case insecureTransport = "insecure_transport"
    }
}

/// The agent's own GP ping, in the same terms as `POST /v1/tenants/{tenant}/ping`.
public struct AgentGPPing: Sendable, Codable, Equatable {
    public var ok: Bool
    /// A `PingResult.Status` raw value.
    public var status: String
    public var httpStatus: Int?
    public var latencyMs: Double?
    public var message: String
    /// When the agent pinged (ISO 8601).
    public var at: String

    public init(ok: Bool, status: String, httpStatus: Int?, latencyMs: Double?, message: String, at: String) {
        self.ok = ok
        self.status = status
        self.httpStatus = httpStatus
        self.latencyMs = latencyMs
        self.message = String(message.prefix(1000))
        self.at = at
    }

    /// A `GPClient.ping()` outcome, named like the server's own ping.
    public init(_ ping: GPPingResult, company: String, at: Date = Date()) {
        let stamp = at.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        if ping.ok {
            self.init(ok: true, status: PingResult.Status.ok.rawValue, httpStatus: nil, latencyMs: Double(ping.latencyMs),
                      message: "GP answered the agent for company \(company) (\(ping.checked.joined(separator: ", "))).", at: stamp)
        } else {
            let error = ping.error ?? .badResponse(detail: "no answer")
            self.init(ok: false, status: LiveTenantProbe.status(of: error).rawValue, httpStatus: LiveTenantProbe.httpStatus(of: error),
                      latencyMs: Double(ping.latencyMs), message: error.message + " " + error.suggestedFix, at: stamp)
        }
    }

    enum CodingKeys: String, CodingKey {
        case ok, status, message, at
        case httpStatus = "http_status"
        case latencyMs = "latency_ms"
    }
}

/// `POST /v1/agent/heartbeat` answer: what the agent needs to know about its tenant's GP.
public struct AgentHeartbeatReply: Sendable, Codable, Equatable {
    /// The tenant's GP company URL (the agent pings it).
    public var companyURL: String
    /// The tenant's `gp.auth` (`ntlm`, `negotiate`, `basic`); the agent's own flag wins.
    public var gpAuth: String
    /// Seconds between heartbeats the server expects.
    public var heartbeatSeconds: Double
    /// Whose GP credentials the agent uses (the tenant's `gp.agent_credentials`); nil from a
    /// server that predates the setting, which means the agent's own.
    public var credentials: AgentGPCredentials?
    /// The tenant's GP SBA settings (`gp.sba`: paths, envelope, paging), so the agent's own ping
    /// asks GP what the server's calls ask; nil from an older server (the defaults then).
    public var gpSBA: GP.GPSettings?

    public init(companyURL: String, gpAuth: String, heartbeatSeconds: Double, credentials: AgentGPCredentials? = nil,
                gpSBA: GP.GPSettings? = nil) {
        self.companyURL = companyURL
        self.gpAuth = gpAuth
        self.heartbeatSeconds = heartbeatSeconds
        self.credentials = credentials
        self.gpSBA = gpSBA
    }

    enum CodingKeys: String, CodingKey {
        case companyURL = "company_url"
        case gpAuth = "gp_auth"
        case heartbeatSeconds = "heartbeat_s"
        case credentials
        case gpSBA = "gp_sba"
    }
}

/// Printing a reply never shows the password (`credentials` redacts it).
extension AgentHeartbeatReply: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "AgentHeartbeatReply(company_url: \(companyURL), gp_auth: \(gpAuth), heartbeat_s: \(heartbeatSeconds), "
            + "credentials: \(credentials.map(\.description) ?? "nil"))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["companyURL": companyURL, "gpAuth": gpAuth, "heartbeatSeconds": heartbeatSeconds,
                                "credentials": credentials as Any])
    }
}

