import Foundation
import GP
import Postgres

/// A `GPTransport` for a tenant whose GP only its local agent can reach: `send` queues the call
/// in PostgreSQL and blocks the worker thread until the agent's result is stored (woken by
/// NOTIFY, re-checking on a timer), holding no database connection while it waits.
///
/// Failures are retryable `GPError`s, so the job backs off and tries again:
/// - no agent took the call within `pickupSeconds` → `gp_agent_offline`;
/// - the agent took it and stopped heartbeating before answering → `gp_agent_offline`;
/// - the agent keeps heartbeating but no result comes within the call's timeout (plus grace) →
///   `gp_timeout`.
/// A call that was taken may still have reached GP: the flows' own exactly-once rules (read back
/// a duplicate document) decide what the retry does, exactly as after a direct timeout.
public struct AgentRelayTransport: GPTransport {
    let relay: AgentRelay
    public let tenant: String

    init(relay: AgentRelay, tenant: String) {
        self.relay = relay
        self.tenant = tenant
    }

    public func send(_ request: GPRequest) throws(GPError) -> GPResponse {
        let counters = relay.counters
        counters.calls.add(1, ordering: .relaxed)
        do {
            let response = try relayed(request)
            counters.answered.add(1, ordering: .relaxed)
            return response
        } catch {
            if case .agentOffline = error { counters.offline.add(1, ordering: .relaxed) } else { counters.failed.add(1, ordering: .relaxed) }
            throw error
        }
    }

    private func relayed(_ request: GPRequest) throws(GPError) -> GPResponse {
        let config = relay.configuration
        if let body = request.body, body.count > config.maxRequestBodyBytes {
            throw .invalidRequest("the request body (\(body.count) bytes) is larger than the agent relay's limit of \(config.maxRequestBodyBytes) bytes")
        }
        let id = try database { conn in
            relay.pruneIfDue(conn)
            return try relay.calls.enqueue(conn, tenant: tenant, request: request, pickupSeconds: min(config.pickupSeconds, request.timeout))
        }
        let key = AgentSignals.resultKey(id)
        while true {
            let mark = relay.signals.mark(key)
            let standing = try database { try relay.calls.standing($0, id: id) }
            switch standing {
            case .answered(let response):
                return response
            case .failed(let error):
                throw error.gpError
            case .queued(let overdue):
                if overdue || relay.signals.isStopping {
                    if try database({ try relay.calls.expireUntaken($0, id: id) }) {
                        throw .agentOffline(detail: "no agent of tenant \(tenant) took the call within \(Int(config.pickupSeconds)) seconds")
                    }
                    continue
                }
            case .taken(let leaseOverdue, let seconds):
                let late = seconds > request.timeout + config.resultGraceSeconds
                if leaseOverdue || late {
                    if try database({ try relay.calls.loseTaken($0, id: id, force: late) }) {
                        if leaseOverdue {
                            throw .agentOffline(detail: "the agent of tenant \(tenant) took the call and stopped answering")
                        }
                        throw .timeout(seconds: request.timeout)
                    }
                    continue
                }
            case .abandoned(let state):
                throw .agentOffline(detail: "the call was given up (\(state))")
            case .missing:
                throw .agentOffline(detail: "the queued call disappeared")
            }
            relay.signals.wait(key, since: mark, until: Date().addingTimeInterval(config.recheckSeconds))
        }
    }

    /// The relay's database work; an outage is retryable like an unreachable agent.
    private func database<T>(_ body: (Connection) throws -> T) throws(GPError) -> T {
        do { return try relay.pool.withConnection(body) } catch {
            let detail = (error as? PostgresError).map { "\($0.code.rawValue)" } ?? "unexpected error"
            throw .agentOffline(detail: "the relay's database is unavailable (\(detail))")
        }
    }
}
