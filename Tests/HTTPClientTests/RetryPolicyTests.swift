import HTTPClient
import Testing

@Suite("RetryPolicy decisions (pure)")
struct RetryPolicyTests {
    static let policy = RetryPolicy(maxAttempts: 5, baseDelay: 0.5, maxDelay: 8, maxRetryAfter: 120)
    /// 2023-11-14T22:13:20Z, a Tuesday.
    static let now: Double = 1_700_000_000

    struct Case: Sendable, CustomTestStringConvertible {
        let outcome: RetryPolicy.Outcome
        let attempt: Int
        let idempotent: Bool
        let random: Double
        let expected: RetryPolicy.Decision
        let why: String
        var testDescription: String { why }
    }

    static let refused = HTTPClientError.connectionRefused(hostPort: "gp:443", reason: "Connection refused")
    static let readTimeout = HTTPClientError.timeout(hostPort: "gp:443", milliseconds: 1000, whileConnecting: false)
    static let connectTimeout = HTTPClientError.timeout(hostPort: "gp:443", milliseconds: 1000, whileConnecting: true)

    static let cases: [Case] = [
        Case(outcome: .status(200, retryAfter: nil), attempt: 1, idempotent: true, random: 0.5, expected: .giveUp, why: "success is final"),
        Case(outcome: .status(400, retryAfter: nil), attempt: 1, idempotent: true, random: 0.5, expected: .giveUp, why: "400 is permanent"),
        Case(outcome: .status(401, retryAfter: nil), attempt: 1, idempotent: true, random: 0.5, expected: .giveUp, why: "401 is permanent"),
        Case(outcome: .status(404, retryAfter: "5"), attempt: 1, idempotent: true, random: 0.5, expected: .giveUp, why: "404 ignores Retry-After"),
        Case(outcome: .status(500, retryAfter: nil), attempt: 1, idempotent: true, random: 0.5, expected: .retry(afterSeconds: 0.25), why: "500 idempotent: jittered base delay"),
        Case(outcome: .status(500, retryAfter: nil), attempt: 1, idempotent: false, random: 0.5, expected: .giveUp, why: "500 on a POST may have been processed"),
        Case(outcome: .status(502, retryAfter: nil), attempt: 3, idempotent: true, random: 0.5, expected: .retry(afterSeconds: 1.0), why: "502 third attempt: ceiling 2 s"),
        Case(outcome: .status(504, retryAfter: nil), attempt: 4, idempotent: true, random: 0.5, expected: .retry(afterSeconds: 2.0), why: "504 fourth attempt: ceiling 4 s"),
        Case(outcome: .status(504, retryAfter: nil), attempt: 4, idempotent: true, random: 0.0, expected: .retry(afterSeconds: 0), why: "full jitter reaches zero"),
        Case(outcome: .status(503, retryAfter: nil), attempt: 5, idempotent: true, random: 0.5, expected: .giveUp, why: "attempts exhausted"),
        Case(outcome: .status(503, retryAfter: nil), attempt: 9, idempotent: true, random: 0.5, expected: .giveUp, why: "attempts long exhausted"),
        Case(outcome: .status(429, retryAfter: "7"), attempt: 1, idempotent: false, random: 0.5, expected: .retry(afterSeconds: 7), why: "429 Retry-After seconds, even for a POST"),
        Case(outcome: .status(503, retryAfter: " 12 "), attempt: 2, idempotent: false, random: 0.5, expected: .retry(afterSeconds: 12), why: "503 Retry-After seconds with spaces"),
        Case(outcome: .status(503, retryAfter: "Tue, 14 Nov 2023 22:13:50 GMT"), attempt: 1, idempotent: true, random: 0.5, expected: .retry(afterSeconds: 30), why: "503 Retry-After HTTP-date 30 s ahead"),
        Case(outcome: .status(429, retryAfter: "Tuesday, 14-Nov-23 22:14:20 GMT"), attempt: 1, idempotent: true, random: 0.5, expected: .retry(afterSeconds: 60), why: "429 Retry-After RFC 850 date"),
        Case(outcome: .status(503, retryAfter: "Mon, 13 Nov 2023 00:00:00 GMT"), attempt: 1, idempotent: true, random: 0.5, expected: .retry(afterSeconds: 0), why: "a date in the past means now"),
        Case(outcome: .status(429, retryAfter: "600"), attempt: 1, idempotent: true, random: 0.5, expected: .giveUp, why: "a wait beyond maxRetryAfter gives up"),
        Case(outcome: .status(429, retryAfter: "soon"), attempt: 1, idempotent: true, random: 0.5, expected: .retry(afterSeconds: 0.25), why: "an unreadable Retry-After falls back to backoff"),
        Case(outcome: .status(429, retryAfter: "-3"), attempt: 2, idempotent: true, random: 0.5, expected: .retry(afterSeconds: 0.5), why: "a negative Retry-After falls back to backoff"),
        Case(outcome: .status(500, retryAfter: "7"), attempt: 1, idempotent: true, random: 0.5, expected: .retry(afterSeconds: 0.25), why: "Retry-After only counts on 429 and 503"),
        Case(outcome: .status(408, retryAfter: nil), attempt: 1, idempotent: false, random: 0.5, expected: .retry(afterSeconds: 0.25), why: "408: the server did not act on it"),
        Case(outcome: .error(.dnsFailed(host: "gp")), attempt: 1, idempotent: false, random: 0.5, expected: .retry(afterSeconds: 0.25), why: "DNS failure: never sent"),
        Case(outcome: .error(refused), attempt: 2, idempotent: false, random: 0.5, expected: .retry(afterSeconds: 0.5), why: "refused: never sent"),
        Case(outcome: .error(connectTimeout), attempt: 1, idempotent: false, random: 0.5, expected: .retry(afterSeconds: 0.25), why: "connect timeout: never sent"),
        Case(outcome: .error(readTimeout), attempt: 1, idempotent: false, random: 0.5, expected: .giveUp, why: "read timeout on a POST may have been processed"),
        Case(outcome: .error(readTimeout), attempt: 1, idempotent: true, random: 0.5, expected: .retry(afterSeconds: 0.25), why: "read timeout on a GET"),
        Case(outcome: .error(.other(curlCode: 56, reason: "Recv failure")), attempt: 1, idempotent: true, random: 0.5, expected: .retry(afterSeconds: 0.25), why: "connection reset on a GET"),
        Case(outcome: .error(.other(curlCode: 56, reason: "Recv failure")), attempt: 1, idempotent: false, random: 0.5, expected: .giveUp, why: "connection reset on a POST"),
        Case(outcome: .error(.tlsFailed(host: "gp", reason: "bad cert")), attempt: 1, idempotent: true, random: 0.5, expected: .giveUp, why: "TLS failure is permanent"),
        Case(outcome: .error(.invalidURL(url: "x", reason: "bad")), attempt: 1, idempotent: true, random: 0.5, expected: .giveUp, why: "invalid URL is permanent"),
        Case(outcome: .error(.responseTooLarge(limit: 10)), attempt: 1, idempotent: true, random: 0.5, expected: .giveUp, why: "too large is permanent"),
        Case(outcome: .error(refused), attempt: 5, idempotent: true, random: 0.5, expected: .giveUp, why: "errors also stop after maxAttempts"),
    ]

    @Test(arguments: cases)
    func decides(_ c: Case) {
        let decision = Self.policy.decide(c.outcome, attempt: c.attempt, idempotent: c.idempotent, now: Self.now, random: c.random)
        #expect(decision == c.expected, "\(c.why)")
    }

    @Test func backoffGrowsExponentiallyUpToTheCap() {
        let policy = RetryPolicy(maxAttempts: 100, baseDelay: 0.5, maxDelay: 8)
        let ceilings = (1...8).map { policy.backoff(attempt: $0, random: 1) }
        #expect(ceilings == [0.5, 1, 2, 4, 8, 8, 8, 8])
        #expect(policy.backoff(attempt: 1_000, random: 1) == 8)
    }

    @Test func backoffIsUniformlySpreadByTheRandomNumber() {
        let policy = RetryPolicy(baseDelay: 1, maxDelay: 30)
        #expect(policy.backoff(attempt: 3, random: 0) == 0)
        #expect(policy.backoff(attempt: 3, random: 0.25) == 1)
        #expect(policy.backoff(attempt: 3, random: 0.75) == 3)
    }

    @Test func aResponseOutcomeCarriesItsRetryAfterHeader() {
        let response = HTTPResponse(status: 429, headers: ["retry-after": "3"], body: [],
                                    timing: HTTPTiming(totalMs: 1, connectMs: 0, tlsMs: 0, firstByteMs: 1), connectionsOpened: 0)
        #expect(RetryPolicy.Outcome.response(response) == .status(429, retryAfter: "3"))
    }

    @Test func retryAfterReadsSecondsAndDates() {
        #expect(RetryPolicy.retryAfterSeconds("120", now: Self.now) == 120)
        #expect(RetryPolicy.retryAfterSeconds("0", now: Self.now) == 0)
        #expect(RetryPolicy.retryAfterSeconds("Tue, 14 Nov 2023 22:15:20 GMT", now: Self.now) == 120)
        #expect(RetryPolicy.retryAfterSeconds("1.5", now: Self.now) == nil)
        #expect(RetryPolicy.retryAfterSeconds("", now: Self.now) == nil)
    }
}
