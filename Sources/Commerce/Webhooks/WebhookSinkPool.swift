import Dispatch
import Foundation

/// A fixed set of threads that run sink calls, so a caller can stop waiting after its budget
/// while the call carries on (it may still commit; the dedup key makes a later poll harmless).
final class WebhookSinkPool: @unchecked Sendable {
    final class Job: @unchecked Sendable {
        enum Result { case done, failed(any Error), timedOut }
        let work: () throws -> Void
        private let finished = DispatchSemaphore(value: 0)
        private var error: (any Error)?

        init(_ work: @escaping () throws -> Void) { self.work = work }

        func run() {
            do { try work() } catch { self.error = error }
            finished.signal()
        }

        func wait(budget: Duration) -> Result {
            let (seconds, attoseconds) = budget.components
            let nanos = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
            guard finished.wait(timeout: .now() + .nanoseconds(nanos)) == .success else { return .timedOut }
            // The semaphore's signal happens after `error` is written: reading it here is ordered.
            return error.map { .failed($0) } ?? .done
        }
    }

    private let condition = NSCondition()
    private var queue: [Job] = []
    private var head = 0
    private var stopping = false
    private let maxPending: Int

    init(threads: Int, maxPending: Int) {
        self.maxPending = maxPending
        for i in 0..<max(1, threads) {
            // The threads keep the pool alive until `shutdown()`.
            let thread = Thread { self.loop() }
            thread.name = "webhook-sink-\(i)"
            thread.start()
        }
    }

    /// False when the backlog is full or the pool is stopping.
    func submit(_ job: Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping, queue.count - head < maxPending else { return false }
        queue.append(job)
        condition.signal()
        return true
    }

    func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while head == queue.count && !stopping { condition.wait() }
            if head == queue.count && stopping {
                condition.unlock()
                return
            }
            let job = queue[head]
            head += 1
            if head > 1024 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job.run()
        }
    }
}
