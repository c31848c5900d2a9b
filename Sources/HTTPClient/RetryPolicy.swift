#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decides whether a request that failed should be sent again, and after how long. Pure: the
/// clock and the random number are parameters, so every decision is reproducible in a test.
///
/// - Retryable: transport errors where the server is unreachable for now (DNS, refused,
///   timeouts) and statuses 408, 429, 500, 502, 503, 504. Never: TLS failures, invalid URLs,
///   oversized responses, other 4xx.
/// - A non-idempotent request (a POST that creates an invoice) is only retried when the server
///   certainly did not act on it: it was never sent, or the answer was 408, 429 or 503.
/// - `Retry-After` on 429 and 503 (seconds or an HTTP-date) is obeyed; a wait longer than
///   `maxRetryAfter` gives up instead, leaving the job queue to reschedule.
/// - Otherwise exponential backoff with full jitter: `random × min(maxDelay, baseDelay × 2^(attempt−1))`.
///
/// ```swift
/// switch policy.decide(.response(response), attempt: attempt, idempotent: false) {
/// case .retry(let seconds): sleep(seconds); attempt += 1
/// case .giveUp: return response
/// }
/// ```
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in total, the first one included.
    public var maxAttempts: Int
    /// Seconds; the backoff ceiling of the first retry.
    public var baseDelay: Double
    /// Seconds; no backoff waits longer.
    public var maxDelay: Double
    /// Seconds; a server asking to wait longer than this makes the policy give up.
    public var maxRetryAfter: Double

    public init(maxAttempts: Int = 5, baseDelay: Double = 0.5, maxDelay: Double = 30, maxRetryAfter: Double = 120) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// What happened on one attempt.
    public enum Outcome: Sendable, Hashable {
        /// A response arrived; `retryAfter` is its `Retry-After` header, if any.
        case status(Int, retryAfter: String?)
        /// No response.
        case error(HTTPClientError)

        public static func response(_ response: HTTPResponse) -> Outcome {
            .status(response.status, retryAfter: response.headers["Retry-After"])
        }
    }

    public enum Decision: Sendable, Hashable {
        case retry(afterSeconds: Double)
        case giveUp
    }

    /// Statuses worth another attempt at all.
    public static let retryableStatuses: Set<Int> = [408, 429, 500, 502, 503, 504]
    /// Statuses that say the server did not act on the request, so any method may be re-sent.
    public static let notProcessedStatuses: Set<Int> = [408, 429, 503]

    /// - Parameters:
    ///   - attempt: the number of the attempt that just failed, starting at 1.
    ///   - idempotent: whether sending the request twice is harmless (GET, PUT of a whole value).
    ///   - now: wall-clock seconds since 1970, for `Retry-After` dates.
    ///   - random: a number in [0, 1) for the jitter.
    public func decide(_ outcome: Outcome, attempt: Int, idempotent: Bool, now: Double, random: Double) -> Decision {
        guard attempt < maxAttempts else { return .giveUp }
        switch outcome {
        case .status(let status, let retryAfter):
            guard Self.retryableStatuses.contains(status) else { return .giveUp }
            guard idempotent || Self.notProcessedStatuses.contains(status) else { return .giveUp }
            if status == 429 || status == 503, let retryAfter,
               let wait = Self.retryAfterSeconds(retryAfter, now: now) {
                return wait <= maxRetryAfter ? .retry(afterSeconds: wait) : .giveUp
            }
        case .error(let error):
            switch error {
            case .tlsFailed, .invalidURL, .invalidRequest, .responseTooLarge:
                return .giveUp
            case .dnsFailed, .connectionRefused, .timeout, .other:
                guard idempotent || error.requestWasNotSent else { return .giveUp }
            }
        }
        return .retry(afterSeconds: backoff(attempt: attempt, random: random))
    }

    /// Same decision with the real clock and a random jitter.
    public func decide(_ outcome: Outcome, attempt: Int, idempotent: Bool) -> Decision {
        decide(outcome, attempt: attempt, idempotent: idempotent,
               now: Self.wallClockSeconds(), random: Double.random(in: 0..<1))
    }

    /// Full jitter: uniformly anywhere between 0 and the capped exponential ceiling.
    public func backoff(attempt: Int, random: Double) -> Double {
        let exponent = Double(max(0, min(attempt - 1, 62)))
        let ceiling = min(maxDelay, baseDelay * pow(2, exponent))
        return max(0, min(random, 1)) * ceiling
    }

    /// Seconds to wait from a `Retry-After` value: delta-seconds, or an HTTP-date (a date in the
    /// past means now). Nil when the value is neither.
    public static func retryAfterSeconds(_ value: String, now: Double) -> Double? {
        let text = value.trimmingSpaces()
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            return Double(text) ?? .infinity
        }
        guard let date = HTTPDate.parse(text) else { return nil }
        return max(0, Double(date) - now)
    }

    public static func wallClockSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

extension String {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let c = slice.first, c == " " || c == "\t" { slice = slice.dropFirst() }
        while let c = slice.last, c == " " || c == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
