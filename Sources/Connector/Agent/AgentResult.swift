import Foundation
import GP

/// The agent's answer to one call: GP's HTTP response (any status), or the transport error that
/// kept GP from answering. Sent with `POST /v1/agent/results`.
public struct AgentResult: Sendable, Codable, Equatable {
    public var id: String
    public var status: Int?
    public var headers: [GPHeader]?
    /// The response body (base64 in JSON, `body_base64`).
    public var body: Data?
    /// Seconds GP took.
    public var duration: Double?
    public var error: AgentCallError?

    public init(id: String, response: GPResponse) {
        self.id = id
        status = response.status
        headers = response.headers
        body = response.body
        duration = response.duration
    }

    public init(id: String, error: GPError) {
        self.id = id
        self.error = AgentCallError(error)
    }

    /// A failure the agent names itself (e.g. `AgentCallError.noCredentials`).
    public init(id: String, callError: AgentCallError) {
        self.id = id
        error = callError
    }

    enum CodingKeys: String, CodingKey {
        case id, status, headers, error
        case body = "body_base64"
        case duration = "duration_s"
    }
}

/// A transport failure on the agent's side, in `GPError` terms (`code` is a `GPError.code`).
public struct AgentCallError: Sendable, Codable, Equatable {
    public var code: String
    public var detail: String

    public init(code: String, detail: String) {
        self.code = code
        self.detail = String(detail.prefix(1000))
    }

    public init(_ error: GPError) {
        switch error {
        case .timeout(let seconds): self.init(code: error.code, detail: String(seconds))
        case .unreachable(let d), .tlsFailed(let d), .badResponse(let d), .invalidRequest(let d):
            self.init(code: error.code, detail: d)
        default: self.init(code: error.code, detail: error.message)
        }
    }

    /// The agent has no GP credentials to call with (none of its own, or the server's withheld).
    public static let noCredentials = "gp_agent_no_credentials"

    /// The error the relay throws for it. Codes the relay does not know stay retryable
    /// (`unreachable`): an agent newer than the server must not turn a hiccup into a parked record.
    public var gpError: GPError {
        switch code {
        case "gp_timeout": .timeout(seconds: Double(detail) ?? 0)
        case "gp_unreachable": .unreachable(detail: "from the local agent: \(detail)")
        case "gp_tls_failed": .tlsFailed(detail: "from the local agent: \(detail)")
        case "gp_bad_response": .badResponse(detail: detail)
        case "gp_invalid_request": .invalidRequest(detail)
        // Retryable: setting the tenant's gp.agent_credentials or restarting the agent with
        // credentials fixes it without touching the job.
        case AgentCallError.noCredentials: .unreachable(detail: detail.hasSuffix(".") ? String(detail.dropLast()) : detail)
        default: .unreachable(detail: "the local agent reported \(code): \(detail)")
        }
    }
}

/// `POST /v1/agent/results` body.
public struct AgentResultsRequest: Sendable, Codable, Equatable {
    public var results: [AgentResult]
    public init(results: [AgentResult]) { self.results = results }
}

/// What became of one posted result.
public enum AgentResultOutcome: String, Sendable, Codable {
    /// Stored; the waiting job has it.
    case accepted
    /// This call already has a result: the first one counts.
    case duplicate
    /// Too late: the call was given up (agent offline or lost) and the job will retry.
    case expired
    /// No call with this id for this agent's tenant.
    case unknown
}

/// `POST /v1/agent/results` answer, one entry per posted result.
public struct AgentResultsReply: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        public var id: String
        public var outcome: AgentResultOutcome
        public init(id: String, outcome: AgentResultOutcome) {
            self.id = id
            self.outcome = outcome
        }
    }
    public var results: [Entry]
    public init(results: [Entry]) { self.results = results }
}
