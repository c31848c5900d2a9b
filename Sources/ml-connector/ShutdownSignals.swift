import Foundation

/// Turns SIGINT/SIGTERM into an orderly stop: the handlers registered here run once, in reverse
/// order of registration (the server stops before the database it uses), on a normal exit too.
final class ShutdownSignals: @unchecked Sendable {
    static let shared = ShutdownSignals()

    private let lock = NSLock()
    private var handlers: [@Sendable () -> Void] = []
    private var sources: [DispatchSourceSignal] = []
    private var waiters: [DispatchSemaphore] = []
    private var fired = false

    private init() {
        // A parent (a test runner, a supervisor) may have left these blocked in the mask we
        // inherited; a server that cannot hear SIGTERM cannot stop cleanly.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in self?.fire(reason: sig == SIGINT ? "SIGINT" : "SIGTERM") }
            source.resume()
            sources.append(source)
        }
        atexit { ShutdownSignals.shared.runHandlers() }
    }

    func onShutdown(_ handler: @escaping @Sendable () -> Void) {
        lock.lock(); handlers.append(handler); lock.unlock()
    }

    /// Blocks the calling thread until a signal arrives (or `fire` is called).
    func wait() {
        let semaphore = DispatchSemaphore(value: 0)
        lock.lock()
        if fired { lock.unlock(); return }
        waiters.append(semaphore)
        lock.unlock()
        semaphore.wait()
    }

    private(set) var reason: String?

    func fire(reason: String) {
        lock.lock()
        if fired { lock.unlock(); return }
        fired = true
        self.reason = reason
        let toWake = waiters
        lock.unlock()
        toWake.forEach { $0.signal() }
    }

    /// Runs the handlers once; later calls do nothing.
    func runHandlers() {
        lock.lock()
        let toRun = handlers.reversed()
        handlers.removeAll()
        lock.unlock()
        for handler in toRun { handler() }
    }
}
