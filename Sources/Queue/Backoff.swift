/// Retry delays: exponential backoff with full jitter and a cap (the AWS "full jitter" scheme),
/// so a burst of jobs failing together does not come back together.
///
/// `delay(attempt:)` for attempt n (1-based, the attempt that just failed) is uniform in
/// `[0, min(cap, base * 2^(n-1))]`. A remote `Retry-After` overrides it, bounded by `maxRequested`.
public struct Backoff: Sendable, Equatable {
    public var base: Double
    public var cap: Double
    /// Upper bound for a delay the job asks for itself (a hostile or buggy Retry-After cannot park
    /// a job for a year).
    public var maxRequested: Double

    public init(base: Double = 2, cap: Double = 3600, maxRequested: Double = 86_400) {
        self.base = base
        self.cap = cap
        self.maxRequested = maxRequested
    }

    /// The upper bound of the jitter window for `attempt` (before jitter).
    public func ceiling(attempt: Int) -> Double {
        let exponent = Double(max(0, min(attempt - 1, 62)))
        return min(cap, base * pow2(exponent))
    }

    /// A delay in seconds for the attempt that just failed; `requested` (Retry-After) wins if given.
    public func delay(attempt: Int, requested: Double? = nil,
                      random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }) -> Double {
        if let requested { return min(max(0, requested), maxRequested) }
        let ceiling = ceiling(attempt: attempt)
        return ceiling > 0 ? random(0...ceiling) : 0
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        var remaining = exponent
        while remaining >= 1 { value *= 2; remaining -= 1; if value > 1e18 { break } }
        return value
    }
}
