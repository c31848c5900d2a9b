import Foundation

/// Faults to inject into the next GP requests (admin and help calls are never affected).
public struct GPSimulatorFaults: Sendable, Codable, Equatable {
    /// GP is down: every request answers `failStatus` without touching data until the switch is
    /// turned off (or the faults are cleared). Unlike `failNext` it lasts as long as a test needs.
    public var down: Bool = false
    /// The next N requests answer `failStatus` (a Dexterity restart) without touching data.
    public var failNext: Int = 0
    public var failStatus: Int = 503
    /// The next N requests wait `slowMs` before being handled (a busy GP; client timeouts).
    public var slowNext: Int = 0
    public var slowMs: Int = 0
    /// The next N requests are carried out (a POST is stored) but answered 503: the client does
    /// not learn the outcome, as after a lost connection.
    public var loseResponseNext: Int = 0

    public init(down: Bool = false, failNext: Int = 0, failStatus: Int = 503, slowNext: Int = 0, slowMs: Int = 0,
                loseResponseNext: Int = 0) {
        self.down = down
        self.failNext = failNext
        self.failStatus = failStatus
        self.slowNext = slowNext
        self.slowMs = slowMs
        self.loseResponseNext = loseResponseNext
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        down = try c.decodeIfPresent(Bool.self, forKey: .down) ?? false
        failNext = try c.decodeIfPresent(Int.self, forKey: .failNext) ?? 0
        failStatus = try c.decodeIfPresent(Int.self, forKey: .failStatus) ?? 503
        slowNext = try c.decodeIfPresent(Int.self, forKey: .slowNext) ?? 0
        slowMs = try c.decodeIfPresent(Int.self, forKey: .slowMs) ?? 0
        loseResponseNext = try c.decodeIfPresent(Int.self, forKey: .loseResponseNext) ?? 0
    }

    enum CodingKeys: String, CodingKey {
        case down
        case failNext = "fail_next"
        case failStatus = "fail_status"
        case slowNext = "slow_next"
        case slowMs = "slow_ms"
        case loseResponseNext = "lose_response_next"
    }

    /// What to do with one request, consuming the counters.
    mutating func take() -> (failStatus: Int?, delayMs: Int, loseResponse: Bool) {
        var delay = 0
        if slowNext > 0 {
            slowNext -= 1
            delay = slowMs
        }
        if down { return (failStatus, delay, false) }
        if failNext > 0 {
            failNext -= 1
            return (failStatus, delay, false)
        }
        if loseResponseNext > 0 {
            loseResponseNext -= 1
            return (nil, delay, true)
        }
        return (nil, delay, false)
    }
}

/// Request counters, for checking throttling: `peakConcurrent` is the most GP requests that were
/// being handled at the same moment.
public struct GPSimulatorStats: Sendable, Codable, Equatable {
    public var requests: Int = 0
    public var inFlight: Int = 0
    public var peakConcurrent: Int = 0

    enum CodingKeys: String, CodingKey {
        case requests
        case inFlight = "in_flight"
        case peakConcurrent = "peak_concurrent_requests"
    }
}
