import Foundation

/// A bounded pool of connection threads. A connection keeps its thread for its whole life, so
/// `maxThreads` (the server's connection limit) bounds the thread count. Threads idle for a while
/// exit, so a burst does not leave hundreds of stacks behind.
final class ConnectionThreads: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [Int32] = []
    private var waiting = 0
    private var total = 0
    private var stopped = false
    private let maxThreads: Int
    private let idleExit: TimeInterval
    private let work: @Sendable (Int32) -> Void

    init(maxThreads: Int, idleExit: TimeInterval = 30, work: @escaping @Sendable (Int32) -> Void) {
        self.maxThreads = maxThreads
        self.idleExit = idleExit
        self.work = work
    }

    var threadCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return total
    }

    func submit(_ fd: Int32) {
        condition.lock()
        queue.append(fd)
        // Threads still counted in `waiting` will each take one queued descriptor.
        if waiting >= queue.count {
            condition.signal()
        } else if total < maxThreads {
            total += 1
            let thread = Thread { [self] in run() }
            thread.name = "http-conn"
            thread.stackSize = 1 << 20
            thread.start()
        }
        condition.unlock()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            waiting += 1
            while queue.isEmpty && !stopped {
                if !condition.wait(until: Date(timeIntervalSinceNow: idleExit)) && queue.isEmpty {
                    break
                }
            }
            waiting -= 1
            if queue.isEmpty {
                total -= 1
                condition.unlock()
                return
            }
            let fd = queue.removeFirst()
            condition.unlock()
            work(fd)
        }
    }
}
