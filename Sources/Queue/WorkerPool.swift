import Foundation
import Logging
import Postgres
import Synchronization

/// N worker threads (each with its own connection) running registered handlers, plus one
/// maintenance thread (heartbeats, rescuer, stager, scheduler, pruning) and one LISTEN thread.
/// Any number of pools in any number of processes can share one database.
///
/// ```swift
/// let pool = WorkerPool(queue: JobQueue(registry: registry),
///                       configuration: WorkerPoolConfiguration(conninfo: url, threads: 4))
/// try pool.start()
/// …                                   // on SIGTERM:
/// pool.shutdown(grace: 25)            // stop claiming, finish or release, return
/// ```
public final class WorkerPool: Sendable {
    public let queue: JobQueue
    public let configuration: WorkerPoolConfiguration
    /// This pool's identity in `jobs.owner`: host, pid and a random part, unique per start.
    public let owner: String
    let state = PoolState()
    let logger: Logger
    private let threads = Mutex<[ThreadHandle]>([])
    private let listener = Mutex<NotificationListener?>(nil)
    let counters = PoolCounters()

    public init(queue: JobQueue, configuration: WorkerPoolConfiguration,
                logger: Logger = Logger(label: "mlc.queue")) {
        self.queue = queue
        self.configuration = configuration
        self.logger = logger
        let host = ProcessInfo.processInfo.hostName
        let random = UUID().uuidString.prefix(8).lowercased()
        owner = "\(host):\(ProcessInfo.processInfo.processIdentifier):\(random)"
    }

    /// Starts the threads. Throws if the database cannot be reached at all.
    public func start() throws {
        // Fail fast on a bad conninfo; later connection losses are retried by each thread.
        _ = try Connection(configuration.conninfo)
        if configuration.listen {
            let listener = try NotificationListener(conninfo: configuration.conninfo, channels: [queue.channel])
            self.listener.withLock { $0 = listener }
            spawn("mlc-queue-listen") { [self] in listenLoop(listener) }
        }
        spawn("mlc-queue-maint") { [self] in Maintainer(pool: self).run() }
        for index in 0..<max(1, configuration.threads) {
            spawn("mlc-queue-worker-\(index)") { [self] in Worker(pool: self, index: index).run() }
        }
        logger.info("worker pool started", metadata: ["owner": "\(owner)", "threads": "\(configuration.threads)"])
    }

    /// Graceful stop: no new claims; running jobs may finish for `grace` seconds (their handlers
    /// see `isCancelled` after that); then every job this pool still holds goes back to available
    /// without using up an attempt. Blocks until done (at most about `grace` + a few seconds).
    public func shutdown(grace: Double = 25) {
        let deadline = Date().addingTimeInterval(grace)
        state.beginShutdown(deadline: deadline)
        listener.withLock { $0?.interrupt() }
        let workers = threads.withLock { $0 }
        for handle in workers where handle.name.hasPrefix("mlc-queue-worker") {
            handle.wait(until: deadline)
        }
        releaseLeftovers()
        state.halt()
        listener.withLock { $0?.interrupt() }
        for handle in workers where !handle.name.hasPrefix("mlc-queue-worker") {
            handle.wait(until: Date().addingTimeInterval(5))
        }
        logger.info("worker pool stopped", metadata: ["owner": "\(owner)"])
    }

    /// Jobs processed so far by this pool (for logs and the benchmark).
    public var processedCount: Int { counters.processed.load(ordering: .relaxed) }

    /// Releases whatever handlers are still running past the deadline (their late finish will
    /// match nothing: owner and state no longer fit).
    private func releaseLeftovers() {
        let left = state.tracked()
        guard !left.isEmpty else { return }
        do {
            let conn = try Connection(configuration.conninfo)
            let released = try queue.release(conn, owner: owner, jobs: left.map { ($0.key, $0.value.attempt) },
                                             reason: "shutdown deadline passed: released without using up an attempt")
            logger.warning("released jobs still running at the shutdown deadline",
                           metadata: ["count": "\(released.count)"])
        } catch {
            logger.error("could not release jobs at shutdown; their leases will expire",
                         metadata: ["error": "\(error)"])
        }
    }

    private func listenLoop(_ listener: NotificationListener) {
        while !state.halted {
            do {
                let notes = try listener.wait(timeout: .seconds(5))
                if !notes.isEmpty { state.wakeAll() }
            } catch {
                logger.warning("listen failed; polling continues", metadata: ["error": "\(error)"])
                Thread.sleep(forTimeInterval: configuration.pollInterval)
            }
        }
    }

    private func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let handle = ThreadHandle(name: name)
        let thread = Thread {
            body()
            handle.markDone()
        }
        thread.name = name
        thread.stackSize = 1 << 20
        threads.withLock { $0.append(handle) }
        thread.start()
    }
}

final class PoolCounters: Sendable {
    let processed = Atomic<Int>(0)
}

/// Lets `shutdown` wait for a thread to end, with a deadline.
final class ThreadHandle: Sendable {
    let name: String
    private let done = Mutex(false)
    private let condition = NSCondition()

    init(name: String) { self.name = name }

    func markDone() {
        condition.lock()
        done.withLock { $0 = true }
        condition.broadcast()
        condition.unlock()
    }

    func wait(until deadline: Date) {
        condition.lock()
        while !done.withLock({ $0 }) {
            if !condition.wait(until: deadline) { break }
        }
        condition.unlock()
    }
}
