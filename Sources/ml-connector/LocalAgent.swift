import Connector
import Foundation
import GP
import HTTPClient
import Logging
import Queue

/// The local agent: runs on the merchant's network, dials out to the server (nothing inbound),
/// takes its tenant's queued GP calls on a long poll, performs each against GP, and posts the
/// answers back. The GP credentials are its own (they never leave this process) or, when the
/// tenant's `gp.agent_credentials` is `server`, the stored ones from the heartbeat reply.
///
/// Threads (all our own, blocking): one poller, `concurrency` call runners — so a slow GP call
/// holds one runner while the others keep working — and one heartbeat thread that also pings GP.
/// The poller asks only for as many calls as runners are free. Every server call that fails
/// (network gone, server restarting) is retried after a jittered, capped exponential backoff.
final class LocalAgent: @unchecked Sendable {
    struct Configuration: Sendable {
        var server: AgentServerClient
        /// GP credentials held by the agent (optional: the tenant may send its stored ones); nil
        /// user for Negotiate with a Kerberos ticket.
        var gpUsername: String?
        var gpPassword: String?
        /// The server URL is plain http to another machine: never take GP credentials over it.
        var insecureTransport = false
        /// Forces the GP auth method; nil follows the tenant's `gp.auth`.
        var gpAuth: String?
        var gpTLS: HTTPTLS = .standard
        var concurrency = 4
        var pollWait: Double = 25
        var heartbeatInterval: Double = 10
        var gpPingInterval: Double = 60
        var maxBackoff: Double = 30
        /// A GP answer larger than this is reported as an error instead of being sent (the
        /// server's results limit is 64 MiB of base64).
        var maxResultBytes = 45 << 20
    }

    static let version = "ml-connector-agent/1.0"

    let configuration: Configuration
    let logger: Logger
    let agentID: String
    let condition = NSCondition()
    // Guarded by `condition`.
    var pending: [AgentCall] = []
    var inFlight: Set<String> = []
    var stopping = false
    var tenantGP: AgentHeartbeatReply?
    var lastPing: AgentGPPing?
    var runnersDone = 0
    var warnedLocalCredentialsUnused = false

    init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        agentID = configuration.server.agentID
    }

    func start() {
        spawn("mlc-agent-heartbeat") { [self] in heartbeatLoop() }
        spawn("mlc-agent-poll") { [self] in pollLoop() }
        for i in 0..<configuration.concurrency {
            spawn("mlc-agent-call-\(i)") { [self] in runnerLoop() }
        }
    }

    /// Stops polling, lets running calls finish and post their results (up to `grace` seconds).
    func stop(grace: Double) {
        condition.lock()
        stopping = true
        condition.broadcast()
        let deadline = Date().addingTimeInterval(grace)
        while runnersDone < configuration.concurrency {
            if !condition.wait(until: deadline) { break }
        }
        let unfinished = inFlight.count
        condition.unlock()
        if unfinished > 0 {
            logger.warning("stopping with calls unanswered; the server gives them up when their lease ends",
                           metadata: ["calls": "\(unfinished)"])
        }
    }

    var isStopping: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopping
    }

    // MARK: polling

    private func pollLoop() {
        let http = HTTPClient(logger: logger)
        var failures = 0
        while true {
            condition.lock()
            while !stopping && (tenantGP == nil || pending.count + inFlight.count >= configuration.concurrency) {
                _ = condition.wait(until: Date().addingTimeInterval(1))
            }
            let free = configuration.concurrency - pending.count - inFlight.count
            let stop = stopping
            condition.unlock()
            if stop { return }
            do {
                let reply = try configuration.server.poll(http, maxCalls: free, wait: configuration.pollWait)
                if failures > 0 { logger.info("server reachable again", metadata: ["after_failures": "\(failures)"]) }
                failures = 0
                guard !reply.calls.isEmpty else { continue }
                condition.lock()
                pending.append(contentsOf: reply.calls)
                for call in reply.calls { inFlight.insert(call.id) }
                condition.broadcast()
                condition.unlock()
            } catch {
                failures += 1
                backoff(failures, what: "poll", error)
            }
        }
    }

    /// Sleeps a jittered exponential delay (capped), waking early on stop.
    func backoff(_ failures: Int, what: String, _ error: AgentServerClient.Failure) {
        let delay = Backoff(base: 0.5, cap: configuration.maxBackoff).delay(attempt: failures)
        let wait = max(0.2, delay)
        if failures == 1 || failures % 10 == 0 || error.isAuthorization {
            logger.warning("server call failed; retrying", metadata: ["call": "\(what)", "error": "\(error)",
                                                                       "failures": "\(failures)", "retry_in_s": "\(Int(wait * 10) / 10)"])
        }
        sleep(wait)
    }

    /// Waits `seconds` unless the agent stops first.
    func sleep(_ seconds: Double) {
        condition.lock()
        let until = Date().addingTimeInterval(seconds)
        while !stopping { if !condition.wait(until: until) { break } }
        condition.unlock()
    }

    // MARK: running calls

    private func runnerLoop() {
        let http = HTTPClient(logger: logger)
        while true {
            condition.lock()
            while pending.isEmpty && !stopping { condition.wait() }
            guard !pending.isEmpty else {
                runnersDone += 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let call = pending.removeFirst()
            let reply = tenantGP
            condition.unlock()
            let result = perform(call, auth: configuration.gpAuth ?? reply?.gpAuth ?? "ntlm", login: login(for: reply))
            deliver(result, call: call, http: http)
            condition.lock()
            inFlight.remove(call.id)
            condition.broadcast()
            condition.unlock()
        }
    }

    private func perform(_ call: AgentCall, auth: String, login: Result<GPLogin, NoGPLogin>) -> AgentResult {
        let credentials: GPLogin
        switch login {
        case .success(let l): credentials = l
        case .failure(let problem): return AgentResult(id: call.id, callError: problem.callError)
        }
        do {
            let response = try gpTransport(auth: auth, login: credentials).send(call.request)
            guard response.body.count <= configuration.maxResultBytes else {
                return AgentResult(id: call.id, error: .badResponse(detail: "GP's answer (\(response.body.count) bytes) is larger than the agent relays"))
            }
            return AgentResult(id: call.id, response: response)
        } catch {
            return AgentResult(id: call.id, error: error)
        }
    }

    /// Posts a result until the server takes it (any outcome counts: `duplicate` and `expired`
    /// mean it has nothing more to wait for), or the call's time is long past.
    private func deliver(_ result: AgentResult, call: AgentCall, http: HTTPClient) {
        let giveUp = Date().addingTimeInterval(call.timeout + 300)
        var failures = 0
        var result = result
        while Date() < giveUp {
            do {
                let reply = try configuration.server.results(http, [result])
                let outcome = reply.results.first?.outcome ?? .unknown
                if outcome != .accepted {
                    logger.info("result not used by the server", metadata: ["call": "\(call.id)", "outcome": "\(outcome.rawValue)"])
                }
                return
            } catch {
                if case .status(413, _) = error, result.error == nil {
                    // Too big for the server: tell the waiting job so instead of the answer.
                    result = AgentResult(id: call.id, error: .badResponse(detail: "GP's answer is larger than the server accepts from the agent"))
                    continue
                }
                if case .status(let status, _) = error, (400..<500).contains(status), ![401, 403, 408, 429].contains(status) {
                    logger.warning("result refused by the server; dropped", metadata: ["call": "\(call.id)", "error": "\(error)"])
                    return
                }
                failures += 1
                // On stop, one more try only: the server gives the call up when its lease ends.
                if isStopping && failures > 1 { return }
                backoff(failures, what: "results", error)
            }
        }
        logger.warning("result dropped: the server stayed unreachable", metadata: ["call": "\(call.id)"])
    }

    private func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }
}
