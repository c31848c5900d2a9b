import Foundation
import GP
import Logging
import Postgres
import Queue
import Synchronization

/// What `serve` and `worker` run besides the API: a `WorkerPool` with the connector's job kinds
/// (its maintenance thread also fires the schedules) and a tenant-sync thread that keeps each
/// tenant's GP slot limit and schedules in step with its document — at start, at once when any
/// process writes a tenant (`TenantStore` sends `NOTIFY tenants_changed`; a listener thread here
/// LISTENs), and every `tenantSyncInterval` as a safety net for a lost notification.
///
/// ```swift
/// let runtime = ConnectorRuntime(conninfo: url, tenants: store, workers: 4)
/// try runtime.start()
/// …                                  // SIGTERM:
/// runtime.shutdown(grace: 25)        // before the database stops
/// ```
public final class ConnectorRuntime: Sendable {
    public let queue: JobQueue
    public let pool: WorkerPool
    public let tenants: TenantStore
    public let tenantSyncInterval: Double
    /// Carries the GP calls of agent tenants to their local agents.
    public let agentRelay: AgentRelay
    /// True when this runtime created `agentRelay` and so closes it.
    private let ownsRelay: Bool
    let conninfo: String
    let logger: Logger
    private let signal = NSCondition()
    /// `done` is true while no tenant-sync thread runs (before `start`, after it ends).
    private let flags = Mutex<(stopping: Bool, dirty: Bool, done: Bool)>((false, false, true))
    private let listener = Mutex<TenantChangeListener?>(nil)
    /// Tenant re-syncs done so far (start excluded), for tests and logs.
    private let resyncs = Atomic<Int>(0)

    /// `queue`: the process's queue when the API shares it (so jobs it enqueues are stamped with
    /// the same kinds); the connector's handlers are registered on it either way.
    /// `agentRelay`: the process's relay when the API shares it; else the runtime makes its own.
    public init(conninfo: String, tenants: TenantStore, workers: Int, queue: JobQueue? = nil,
                agentRelay: AgentRelay? = nil,
                configure: (inout WorkerPoolConfiguration) -> Void = { _ in }, tenantSyncInterval: Double = 10,
                logger: Logger = Logger(label: "mlc.runtime")) {
        let queue = queue ?? JobQueue(registry: JobRegistry())
        let relay = agentRelay ?? AgentRelay(conninfo: conninfo)
        self.agentRelay = relay
        ownsRelay = agentRelay == nil
        ConnectorJobs(tenants: tenants, logger: Logger(label: "mlc.jobs"), agentRelay: relay).register(on: queue)
        var configuration = WorkerPoolConfiguration(conninfo: conninfo, threads: max(1, workers))
        configure(&configuration)
        self.queue = queue
        self.pool = WorkerPool(queue: queue, configuration: configuration, logger: Logger(label: "mlc.queue"))
        self.tenants = tenants
        self.tenantSyncInterval = tenantSyncInterval
        self.conninfo = conninfo
        self.logger = logger
    }

    /// LISTENs for tenant changes, applies every tenant once (so limits and schedules exist
    /// before the first claim), then starts the worker threads and the tenant-sync thread.
    /// Listening comes first: a change committed while the first apply runs marks the runtime
    /// dirty, and the sync thread applies it at once instead of at the next periodic resync.
    public func start() throws {
        startListening()
        do {
            let conn = try Connection(conninfo)
            let count = try TenantScheduleSync(queue: queue).applyAll(conn, store: tenants)
            logger.info("tenant limits and schedules applied", metadata: ["tenants": "\(count)"])
            try pool.start()
        } catch {
            stopListening()
            throw error
        }
        flags.withLock { $0.done = false }
        let thread = Thread { [self] in syncLoop() }
        thread.name = "mlc-tenant-sync"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// How many times tenants were re-applied after `start` (notifications and ticks).
    public var resyncCount: Int { resyncs.load(ordering: .relaxed) }

    /// LISTENs on `tenants_changed`. Without a listener (the database refused the connection)
    /// the periodic resync still applies every change, only later.
    private func startListening() {
        let created = TenantChangeListener(conninfo: conninfo, logger: Logger(label: "mlc.runtime.listener")) { [self] _ in
            tenantsChanged()
        }
        do { try created.start() } catch {
            logger.warning("cannot LISTEN for tenant changes; applying them every \(tenantSyncInterval) s only",
                           metadata: ["error": "\(error)"])
            return
        }
        listener.withLock { $0 = created }
    }

    /// Stops the listener, if any. Cleared as it stops: its callback holds this runtime.
    private func stopListening() {
        listener.withLock { current -> TenantChangeListener? in
            defer { current = nil }
            return current
        }?.stop()
    }

    /// Re-apply tenants now. The `tenants_changed` listener calls it; callers rarely need to.
    public func tenantsChanged() {
        signal.lock()
        flags.withLock { $0.dirty = true }
        signal.broadcast()
        signal.unlock()
    }

    /// Stops the tenant-sync thread, then the pool (running jobs get `grace` seconds).
    public func shutdown(grace: Double) {
        signal.lock()
        flags.withLock { $0.stopping = true }
        signal.broadcast()
        signal.unlock()
        stopListening()
        pool.shutdown(grace: grace)
        if ownsRelay { agentRelay.close() }
        signal.lock()
        let deadline = Date().addingTimeInterval(5)
        while !flags.withLock({ $0.done }) { if !signal.wait(until: deadline) { break } }
        signal.unlock()
    }

    private func syncLoop() {
        var connection: Connection?
        let sync = TenantScheduleSync(queue: queue)
        while true {
            signal.lock()
            let deadline = Date().addingTimeInterval(tenantSyncInterval)
            while !flags.withLock({ $0.stopping || $0.dirty }) {
                if !signal.wait(until: deadline) { break }
            }
            let stopping = flags.withLock { state -> Bool in
                state.dirty = false
                return state.stopping
            }
            signal.unlock()
            if stopping { break }
            do {
                let conn: Connection
                if let existing = connection { conn = existing } else {
                    conn = try Connection(conninfo)
                    connection = conn
                }
                try sync.applyAll(conn, store: tenants)
                resyncs.add(1, ordering: .relaxed)
            } catch {
                logger.warning("tenant sync failed; retrying on the next tick", metadata: ["error": "\(error)"])
                if let conn = connection, !conn.isHealthy { connection = nil }
            }
        }
        signal.lock()
        flags.withLock { $0.done = true }
        signal.broadcast()
        signal.unlock()
    }
}
