import Foundation
import GP
import Logging
import Postgres
import Synchronization

/// The server side of the local agent, one per process: it queues GP calls of agent tenants in
/// PostgreSQL (`AgentRelayTransport`), hands them to the tenant's agent on its long poll, stores
/// the agent's results and heartbeats, and wakes whoever waits through `AgentSignals`.
///
/// Every piece of state lives in the database, so any server process can answer any agent's
/// poll and any worker process's call: the agent needs no sticky session. No waiting thread holds
/// a database connection: a long poll and a relayed call each borrow one only to check or change
/// their row, then sleep until NOTIFY (or the re-check interval) wakes them.
///
/// ```swift
/// let relay = AgentRelay(conninfo: url)
/// let gp = GPClient(company: company, transport: relay.transport(tenant: "contoso"), tenant: "contoso")
/// // API: try relay.poll(pool, tenant: "contoso", agent: agentID, maxCalls: 4, wait: 25)
/// relay.stop()   // shutdown: long polls answer at once
/// ```
public final class AgentRelay: Sendable {
    public struct Configuration: Sendable {
        /// A call no agent takes within this many seconds fails as `gp_agent_offline` (retryable).
        public var pickupSeconds: Double = 30
        /// A taken call with neither a result nor a heartbeat naming it for this long is lost.
        public var leaseSeconds: Double = 30
        /// How long past the call's own timeout the relay still waits for a result.
        public var resultGraceSeconds: Double = 15
        /// The longest a poll is held open (the agent asks for ~25 s).
        public var maxPollWaitSeconds: Double = 25
        /// Calls handed out per poll at most.
        public var maxCallsPerPoll = 16
        /// Waiters re-check the database this often even without NOTIFY.
        public var recheckSeconds: Double = 2
        /// Heartbeat interval the server asks agents for.
        public var heartbeatSeconds: Double = 10
        /// Finished calls are kept this long (for inspection), then deleted.
        public var retainFinishedSeconds: Double = 3600
        /// Largest GP request body the relay queues (GP writes are one document each).
        public var maxRequestBodyBytes = 4 << 20
        /// Connections of the relay's own pool (relayed calls borrow one per check).
        public var poolSize = 8

        public init() {}
    }

    public let configuration: Configuration
    public let signals: AgentSignals
    /// For `/metrics`.
    public let counters = AgentRelayCounters()
    let pool: ConnectionPool
    let calls = AgentCallStore()
    let status = AgentStatusStore()
    let logger: Logger
    private let lastPrune = Mutex<Date>(.distantPast)

    public init(conninfo: String, configuration: Configuration = Configuration(),
                logger: Logger = Logger(label: "mlc.agent.relay")) {
        self.configuration = configuration
        self.logger = logger
        signals = AgentSignals(conninfo: conninfo, logger: logger)
        pool = ConnectionPool(conninfo: conninfo, maxConnections: configuration.poolSize)
    }

    /// The GP transport of one agent tenant.
    public func transport(tenant: String) -> AgentRelayTransport {
        AgentRelayTransport(relay: self, tenant: tenant)
    }

    /// Takes up to `maxCalls` queued calls of `tenant`, waiting up to `wait` seconds (capped) for
    /// one to arrive. Holds a connection of `pool` only while it claims.
    public func poll(_ pool: ConnectionPool, tenant: String, agent: String, maxCalls: Int, wait: Double) throws -> [AgentCall] {
        let deadline = Date().addingTimeInterval(min(max(0, wait), configuration.maxPollWaitSeconds))
        let count = min(max(1, maxCalls), configuration.maxCallsPerPoll)
        let key = AgentSignals.callsKey(tenant)
        while true {
            let mark = signals.mark(key)
            let taken = try pool.withConnection {
                try calls.take($0, tenant: tenant, max: count, leaseSeconds: configuration.leaseSeconds, agent: agent)
            }
            if !taken.isEmpty || Date() >= deadline || signals.isStopping {
                counters.polls.add(1, ordering: .relaxed)
                counters.callsHandedOut.add(taken.count, ordering: .relaxed)
                return taken
            }
            signals.wait(key, since: mark, until: min(deadline, Date().addingTimeInterval(configuration.recheckSeconds)))
        }
    }

    /// Stores results posted by `tenant`'s agent; one outcome per result.
    public func store(_ pool: ConnectionPool, tenant: String, results: [AgentResult]) throws -> [AgentResultsReply.Entry] {
        let entries = try pool.withConnection { conn in
            try results.map { AgentResultsReply.Entry(id: $0.id, outcome: try calls.store(conn, tenant: tenant, $0)) }
        }
        counters.results.add(entries.count, ordering: .relaxed)
        counters.duplicateResults.add(entries.filter { $0.outcome == .duplicate }.count, ordering: .relaxed)
        return entries
    }

    /// Records a heartbeat and extends the leases of the calls it names.
    public func heartbeat(_ pool: ConnectionPool, tenant: String, _ beat: AgentHeartbeat) throws {
        try pool.withConnection { conn in
            try conn.transaction { tx in
                try status.record(tx, tenant: tenant, beat)
                try calls.extendLeases(tx, tenant: tenant, ids: Array(beat.inFlight.prefix(1000)), leaseSeconds: configuration.leaseSeconds)
            }
        }
    }

    /// The tenant's agent as last heard from.
    public func agentStatus(_ pool: ConnectionPool, tenant: String) throws -> AgentStatusStore.Status? {
        try pool.withConnection { try status.status($0, tenant: tenant) }
    }

    /// Long polls answer at once and the signal thread ends (before the HTTP server stops).
    public func stop() {
        signals.stop()
    }

    /// Closes the relay's own connections (after the workers stopped).
    public func close() {
        signals.stop()
        pool.close()
    }

    /// Deletes old finished calls, at most once a minute per process.
    func pruneIfDue(_ conn: Connection) {
        let due = lastPrune.withLock { last -> Bool in
            guard Date().timeIntervalSince(last) > 60 else { return false }
            last = Date()
            return true
        }
        guard due else { return }
        do { try calls.prune(conn, finishedBefore: configuration.retainFinishedSeconds) } catch {
            logger.warning("pruning finished agent calls failed", metadata: ["error": "\(error)"])
        }
    }
}
