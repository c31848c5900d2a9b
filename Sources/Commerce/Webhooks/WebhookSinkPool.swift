import Dispatch
import Foundation

/// The writer threads of the receiver (group commit): each takes EVERY hook waiting at that
/// moment (up to `maxBatch`) and hands them to the sink in one call, so one commit serves many
/// hooks. No artificial delay: an idle writer takes a lone hook at once; batches grow only while
/// the writers are busy committing, which is exactly when sharing a flush pays.
///
/// A caller stops waiting after its budget while the write carries on (it may still commit; the
/// dedup key makes a later poll harmless).
final class WebhookSinkPool: @unchecked Sendable {
    final class Job: @unchecked Sendable {
        enum Result { case done, failed(any Error), timedOut }
        let hook: VerifiedWebhook
        private let finished = DispatchSemaphore(value: 0)
        private var error: (any Error)?

        init(_ hook: VerifiedWebhook) { self.hook = hook }

        func finish(_ outcome: Swift.Result<Void, any Error>) {
            if case .failure(let error) = outcome { self.error = error }
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
    private let maxBatch: Int
    private let sink: any WebhookSink

    init(sink: any WebhookSink, threads: Int, maxPending: Int, maxBatch: Int) {
        self.sink = sink
        self.maxPending = maxPending
        self.maxBatch = max(1, maxBatch)
        for i in 0..<max(1, threads) {
            // The threads keep the pool alive until `shutdown()`.
            let thread = Thread { self.loop() }
            thread.name = "webhook-writer-\(i)"
            thread.start()
        }
    }

    /// Hooks queued and not yet taken by a writer.
    var pending: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count - head
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
        while let batch = next() {
            let outcomes = sink.accept(batch: batch.map(\.hook))
            for (i, job) in batch.enumerated() {
                // A sink that answers short leaves the rest failed rather than waiting forever.
                job.finish(i < outcomes.count ? outcomes[i] : .failure(CommerceWebhookError.sinkOutcomeMissing))
            }
        }
    }

    /// Everything waiting now (at most `maxBatch`); nil once stopping and drained.
    private func next() -> [Job]? {
        condition.lock()
        defer { condition.unlock() }
        while head == queue.count && !stopping { condition.wait() }
        if head == queue.count { return nil }
        let end = min(queue.count, head + maxBatch)
        let batch = Array(queue[head..<end])
        head = end
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024 && head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        return batch
    }
}
