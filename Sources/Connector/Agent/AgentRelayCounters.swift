import Synchronization

/// What one process's relay has done since it started, for `/metrics`: GP calls relayed and how
/// they ended, polls answered, results stored. Lock-free; read at any time.
public final class AgentRelayCounters: Sendable {
    let calls = Atomic<Int>(0)
    let answered = Atomic<Int>(0)
    let offline = Atomic<Int>(0)
    let failed = Atomic<Int>(0)
    let polls = Atomic<Int>(0)
    let callsHandedOut = Atomic<Int>(0)
    let results = Atomic<Int>(0)
    let duplicateResults = Atomic<Int>(0)

    /// A point-in-time copy.
    public struct Snapshot: Sendable, Equatable {
        /// GP calls queued for an agent by this process's workers and pings.
        public var calls = 0
        /// …answered by the agent (any HTTP status GP gave).
        public var answered = 0
        /// …failed as `gp_agent_offline` (nobody took it, or the agent vanished mid-call).
        public var offline = 0
        /// …failed otherwise (GP unreachable from the agent, a timeout, a refused request).
        public var failed = 0
        /// Long polls this process answered, and the calls they handed out.
        public var polls = 0
        public var callsHandedOut = 0
        /// Results agents posted here, and those already answered (sent twice).
        public var results = 0
        public var duplicateResults = 0
    }

    public var snapshot: Snapshot {
        Snapshot(calls: calls.load(ordering: .relaxed), answered: answered.load(ordering: .relaxed),
                 offline: offline.load(ordering: .relaxed), failed: failed.load(ordering: .relaxed),
                 polls: polls.load(ordering: .relaxed), callsHandedOut: callsHandedOut.load(ordering: .relaxed),
                 results: results.load(ordering: .relaxed), duplicateResults: duplicateResults.load(ordering: .relaxed))
    }

    /// The Prometheus series: name, help, value.
    public static let series: [(String, String, @Sendable (Snapshot) -> Int)] = [
        ("mlc_agent_calls_total", "GP calls queued for a local agent by this process.", { $0.calls }),
        ("mlc_agent_calls_answered_total", "Relayed GP calls the agent answered.", { $0.answered }),
        ("mlc_agent_calls_offline_total", "Relayed GP calls failed as agent offline (not taken in time, or the agent vanished).", { $0.offline }),
        ("mlc_agent_calls_failed_total", "Relayed GP calls failed otherwise (GP unreachable from the agent, timeout, refused).", { $0.failed }),
        ("mlc_agent_polls_total", "Agent long polls answered by this process.", { $0.polls }),
        ("mlc_agent_calls_handed_out_total", "GP calls handed to agents by this process's polls.", { $0.callsHandedOut }),
        ("mlc_agent_results_total", "Results posted by agents to this process.", { $0.results }),
        ("mlc_agent_results_duplicate_total", "Results posted for calls already answered (accepted once).", { $0.duplicateResults }),
    ]

    public init() {}
}
