import Foundation
import Logging
import Postgres
import Synchronization

/// LISTENs on `tenants_changed` (sent by every `TenantStore` write, in its transaction) on a
/// thread of its own and calls `onChange` with the tenant id of each notification, so any process
/// sees a tenant change made by any other at commit. Notifications lost while the connection is
/// down are not replayed: callers keep a periodic refresh (or a TTL) as the safety net.
///
/// ```swift
/// let listener = TenantChangeListener(conninfo: url) { id in cache.invalidate(id) }
/// try listener.start()
/// …
/// listener.stop()
/// ```
public final class TenantChangeListener: Sendable {
    let conninfo: String
    let logger: Logger
    let onChange: @Sendable (String) -> Void
    private let listener = Mutex<NotificationListener?>(nil)
    private let state = Mutex<(stopping: Bool, running: Bool)>((false, false))
    private let stopped = NSCondition()

    public init(conninfo: String, logger: Logger = Logger(label: "mlc.tenants.listener"),
                onChange: @escaping @Sendable (String) -> Void) {
        self.conninfo = conninfo
        self.logger = logger
        self.onChange = onChange
    }

    /// Connects, LISTENs and starts the thread; throws when the first connection fails.
    public func start() throws {
        let created = try NotificationListener(conninfo: conninfo, channels: [TenantStore.changedChannel], logger: logger)
        listener.withLock { $0 = created }
        state.withLock { $0 = (false, true) }
        let thread = Thread { [self] in loop(created) }
        thread.name = "mlc-tenant-listen"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Wakes the thread and waits (up to 5 s) until it has left; idempotent.
    public func stop() {
        state.withLock { $0.stopping = true }
        listener.withLock { $0?.interrupt() }
        stopped.lock()
        let deadline = Date().addingTimeInterval(5)
        while state.withLock({ $0.running }) { if !stopped.wait(until: deadline) { break } }
        stopped.unlock()
        listener.withLock { $0 = nil }
    }

    private func loop(_ listener: NotificationListener) {
        while !state.withLock({ $0.stopping }) {
            do {
                for note in try listener.wait(timeout: .seconds(30)) where note.channel == TenantStore.changedChannel {
                    onChange(note.payload)
                }
            } catch {
                logger.warning("tenant change listener failed; retrying", metadata: ["error": "\(error)"])
                Thread.sleep(forTimeInterval: 1)
            }
        }
        stopped.lock()
        state.withLock { $0.running = false }
        stopped.broadcast()
        stopped.unlock()
    }
}
