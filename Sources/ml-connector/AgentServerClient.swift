import Connector
import Foundation
import HTTPClient

/// The agent's side of `/v1/agent/*`: JSON over HTTPS with the agent token, the server's
/// certificate verified (against `--ca-file` when given). Each call takes the calling thread's own
/// `HTTPClient` (a libcurl handle is single-threaded; its connection stays open between calls).
struct AgentServerClient: Sendable {
    let baseURL: String
    let token: String
    let tls: HTTPTLS
    let agentID: String

    /// Why a call to the server failed. Never carries the token.
    enum Failure: Error, CustomStringConvertible {
        case transport(HTTPClientError)
        case status(Int, code: String)
        case undecodable(String)

        var description: String {
            switch self {
            case .transport(let e): "\(e.code): \(e.message)"
            case .status(let s, let code): "HTTP \(s) \(code)"
            case .undecodable(let what): "the server's \(what) answer could not be read"
            }
        }

        /// 401/403: the token is wrong or revoked; retrying helps only once an operator fixes it.
        var isAuthorization: Bool {
            if case .status(let s, _) = self { return s == 401 || s == 403 }
            return false
        }
    }

    func poll(_ http: HTTPClient, maxCalls: Int, wait: Double) throws(Failure) -> AgentPollReply {
        try post(http, "/v1/agent/poll", AgentPollRequest(maxCalls: maxCalls, waitSeconds: wait),
                 timeout: wait + 20, as: AgentPollReply.self)
    }

    func results(_ http: HTTPClient, _ results: [AgentResult]) throws(Failure) -> AgentResultsReply {
        try post(http, "/v1/agent/results", AgentResultsRequest(results: results), timeout: 120, as: AgentResultsReply.self)
    }

    func heartbeat(_ http: HTTPClient, _ beat: AgentHeartbeat) throws(Failure) -> AgentHeartbeatReply {
        try post(http, "/v1/agent/heartbeat", beat, timeout: 30, as: AgentHeartbeatReply.self)
    }

    private func post<Body: Encodable, Reply: Decodable>(_ http: HTTPClient, _ path: String, _ body: Body, timeout: Double,
                                                        as: Reply.Type) throws(Failure) -> Reply {
        let data: Data
        do { data = try JSONEncoder().encode(body) } catch { throw .undecodable(path) }
        let request = HTTPRequest(method: .post, url: baseURL + path,
                                  headers: HTTPHeaders([("Content-Type", "application/json"), ("Accept", "application/json"),
                                                        ("X-Agent-Id", agentID)]),
                                  body: Array(data), auth: .bearer(token: token), tls: tls, proxy: .environment,
                                  connectTimeout: .seconds(10), timeout: .milliseconds(Int(timeout * 1000)),
                                  maxResponseBytes: 256 << 20)
        let response: HTTPResponse
        do { response = try http.perform(request) } catch { throw .transport(error) }
        guard response.status == 200 else {
            let code = (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
                .flatMap { $0["error"] as? [String: Any] }?["code"] as? String
            throw .status(response.status, code: code ?? "http_error")
        }
        do { return try JSONDecoder().decode(Reply.self, from: Data(response.body)) } catch { throw .undecodable(path) }
    }
}
