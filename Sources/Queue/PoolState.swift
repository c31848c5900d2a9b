import Foundation
import Synchronization

/// Shared state of one `WorkerPool`: the stop flags, the wake-up signal and the in-flight attempts
/// (which the heartbeat thread keeps leased).
final class PoolState: Sendable {
    struct InFlight: Sendable {
        let attempt: Int
        let flags: AttemptFlags
        /// After this, heartbeats stop so the rescuer can take a hung attempt.
        let timeoutAt: Date
    }

    private struct Stop: Sendable {
        var stopping = false
        var deadline: Date?
    }

    private let stop = Mutex(Stop())
    private let inFlight = Mutex<[Int64: InFlight]>([:])
    private let wakeCondition = NSCondition()
    private let wakeGeneration = Mutex<UInt64>(0)

    var stopping: Bool { stop.withLock { $0.stopping } }

    private let haltFlag = Atomic<Bool>(false)
    /// Set after the workers are gone: the maintenance and listen threads end too.
    var halted: Bool { haltFlag.load(ordering: .relaxed) }
    func halt() { haltFlag.store(true, ordering: .relaxed); wakeAll() }

    var pastDeadline: Bool {
        stop.withLock { state in state.deadline.map { Date() >= $0 } ?? false }
    }

    func beginShutdown(deadline: Date) {
        stop.withLock { $0.stopping = true; $0.deadline = deadline }
        wakeAll()
    }

    // MARK: wake-up

    /// Wakes every idle worker (a NOTIFY arrived, or shutdown).
    func wakeAll() {
        wakeCondition.lock()
        wakeGeneration.withLock { $0 &+= 1 }
        wakeCondition.broadcast()
        wakeCondition.unlock()
    }

    var generation: UInt64 { wakeGeneration.withLock { $0 } }

    /// Sleeps until woken after `seen` or `timeout` passes.
    func waitForWake(since seen: UInt64, timeout: Double) {
        let until = Date().addingTimeInterval(timeout)
        wakeCondition.lock()
        while generation == seen && !stopping {
            if !wakeCondition.wait(until: until) { break }
        }
        wakeCondition.unlock()
    }

    // MARK: in-flight attempts

    func track(_ id: Int64, _ entry: InFlight) { inFlight.withLock { $0[id] = entry } }
    func untrack(_ ids: some Sequence<Int64>) { inFlight.withLock { for id in ids { $0[id] = nil } } }
    func tracked() -> [Int64: InFlight] { inFlight.withLock { $0 } }
}
