import Foundation
import Synchronization

/// Counts failed authentications per client address in fixed windows. Once an address has
/// failed `maxFailures` times in a window it is refused (429 + `Retry-After`) until the window
/// ends, so a token cannot be guessed at network speed. Successful requests never count.
public final class AuthFailureLimiter: Sendable {
    public let maxFailures: Int
    public let window: Duration
    /// Bounds memory when many addresses fail: the oldest entries are dropped first.
    public let maxTrackedAddresses: Int

    struct Entry {
        var windowStart: ContinuousClock.Instant
        var failures: Int
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let clock = ContinuousClock()

    public init(maxFailures: Int = 20, window: Duration = .seconds(60), maxTrackedAddresses: Int = 10_000) {
        self.maxFailures = max(1, maxFailures)
        self.window = window
        self.maxTrackedAddresses = maxTrackedAddresses
    }

    /// Nil when the address may try; otherwise how long it must wait.
    public func blocked(_ address: String) -> Duration? {
        let now = clock.now
        return entries.withLock { map -> Duration? in
            guard let e = map[address] else { return nil }
            let end = e.windowStart.advanced(by: window)
            if now >= end {
                map[address] = nil
                return nil
            }
            return e.failures >= maxFailures ? now.duration(to: end) : nil
        }
    }

    /// Records one failure from `address`.
    public func recordFailure(_ address: String) {
        let now = clock.now
        entries.withLock { map in
            if var e = map[address], now < e.windowStart.advanced(by: window) {
                e.failures += 1
                map[address] = e
            } else {
                if map.count >= maxTrackedAddresses {
                    let cutoff = now.advanced(by: .zero - window)
                    map = map.filter { $0.value.windowStart > cutoff }
                    if map.count >= maxTrackedAddresses, let oldest = map.min(by: { $0.value.windowStart < $1.value.windowStart }) {
                        map[oldest.key] = nil
                    }
                }
                map[address] = Entry(windowStart: now, failures: 1)
            }
        }
    }

    /// Whole seconds for a `Retry-After` header (at least 1).
    static func retryAfterSeconds(_ d: Duration) -> Int {
        let c = d.components
        return max(1, Int(c.seconds) + (c.attoseconds > 0 ? 1 : 0))
    }
}
