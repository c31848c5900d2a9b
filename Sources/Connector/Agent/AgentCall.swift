import Foundation
import GP

/// One GP request queued for a tenant's local agent, as the agent receives it from
/// `POST /v1/agent/poll`. It carries no credential: the agent authenticates to GP with its own.
public struct AgentCall: Sendable, Codable, Equatable {
    public var id: String
    public var method: String
    public var url: String
    public var headers: [GPHeader]
    /// The request body (base64 in JSON, `body_base64`).
    public var body: Data?
    /// Seconds GP gets for the whole call.
    public var timeout: Double

    public init(id: String, method: String, url: String, headers: [GPHeader], body: Data?, timeout: Double) {
        self.id = id
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    public var request: GPRequest {
        GPRequest(method: method, url: url, headers: headers, body: body, timeout: timeout)
    }

    enum CodingKeys: String, CodingKey {
        case id, method, url, headers
        case body = "body_base64"
        case timeout = "timeout_s"
    }
}

/// `POST /v1/agent/poll` body: how many calls the agent can take now and how long to hold the
/// poll open when none is queued.
public struct AgentPollRequest: Sendable, Codable, Equatable {
    public var maxCalls: Int?
    public var waitSeconds: Double?

    public init(maxCalls: Int? = nil, waitSeconds: Double? = nil) {
        self.maxCalls = maxCalls
        self.waitSeconds = waitSeconds
    }

    enum CodingKeys: String, CodingKey {
        case maxCalls = "max_calls"
        case waitSeconds = "wait_s"
    }
}

/// `POST /v1/agent/poll` answer: the calls now taken by this agent (possibly none).
public struct AgentPollReply: Sendable, Codable, Equatable {
    public var calls: [AgentCall]
    /// Seconds the agent has to answer before a call counts as lost, unless a heartbeat lists it.
    public var leaseSeconds: Double

    public init(calls: [AgentCall], leaseSeconds: Double) {
        self.calls = calls
        self.leaseSeconds = leaseSeconds
    }

    enum CodingKeys: String, CodingKey {
        case calls
        case leaseSeconds = "lease_s"
    }
}
