import Foundation
import Logging
import Postgres

/// Wakes the threads of this process that wait on the agent relay, from PostgreSQL NOTIFY:
/// a long poll waits for `callQueued(tenant)`, a relayed GP call waits for `resultStored(call)`.
///
/// One listening connection and one thread per process, started on first use, serve every
/// waiter: a waiting long poll or GP call holds no database connection. Waiters compare a
/// per-key counter (read before they checked the database) so a notification between their check
/// and their wait is never missed; notifications lost while the listener reconnects are covered
/// by the waiters' own re-check interval.
public final class AgentSignals: @unchecked Sendable {
    public static let callsChannel = "mlc_agent_calls"
    public static let resultsChannel = "mlc_agent_results"

    private let conninfo: String
    private let logger: Logger
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var counters: [String: UInt64] = [:]
    private var started = false
    private var stopping = false
    private var listener: NotificationListener?

    public init(conninfo: String, logger: Logger = Logger(label: "mlc.agent.signals")) {
        self.conninfo = conninfo
        self.logger = logger
    }

    static func callsKey(_ tenant: String) -> String { "c:" + tenant }
    static func resultKey(_ call: String) -> String { "r:" + call }

    /// The counter of `key` now; pass it to `wait` after checking the database.
    func mark(_ key: String) -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        startIfNeeded()
        return counters[key, default: 0]
    }

    /// Waits until `key` is signalled after `mark`, `until` passes, or the process stops.
    /// True when signalled.
    @discardableResult
    func wait(_ key: String, since mark: UInt64, until deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while counters[key, default: 0] == mark && !stopping {
            if !condition.wait(until: deadline) { break }
        }
        return counters[key, default: 0] != mark
    }

    /// True once `stop()` was called: long polls answer at once.
    public var isStopping: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopping
    }

    /// Wakes every waiter and ends the listener thread.
    public func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        let listener = self.listener
        condition.unlock()
        listener?.interrupt()
    }

    // Called with the lock held.
    private func startIfNeeded() {
        guard !started, !stopping else { return }
        started = true
        let thread = Thread { [self] in listen() }
        thread.name = "mlc-agent-signals"
        thread.stackSize = 1 << 20
        thread.start()
    }

    private func listen() {
        while !isStopping {
            let active: NotificationListener
            do {
                active = try NotificationListener(conninfo: conninfo, channels: [Self.callsChannel, Self.resultsChannel], logger: logger)
            } catch {
                logger.warning("agent signals cannot listen yet; waiters re-check on their own", metadata: ["error": "\(error)"])
                Thread.sleep(forTimeInterval: 1)
                continue
            }
            condition.lock()
            listener = active
            let stop = stopping
            condition.unlock()
            if stop { break }
            while !isStopping {
                let notes: [PostgresNotification]
                do { notes = try active.wait(timeout: .seconds(5)) } catch {
                    logger.warning("agent signals lost their connection", metadata: ["error": "\(error)"])
                    break
                }
                guard !notes.isEmpty else { continue }
                condition.lock()
                for note in notes {
                    let key = note.channel == Self.callsChannel ? Self.callsKey(note.payload) : Self.resultKey(note.payload)
                    counters[key, default: 0] &+= 1
                }
                // Counters of finished calls are dropped now and then so the map stays small.
                if counters.count > 10_000 { counters = counters.filter { $0.key.hasPrefix("c:") } }
                condition.broadcast()
                condition.unlock()
            }
        }
        condition.lock()
        listener = nil
        condition.unlock()
    }
}
