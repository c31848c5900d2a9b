import Foundation
import Postgres

/// A job row as the control plane shows it (`GET /v1/jobs`, `GET /v1/jobs/{id}`).
public struct JobRecord: Sendable, Codable, Equatable {
    public var id: Int64
    public var tenantID: String
    public var kind: String
    public var state: JobState
    public var priority: Int
    public var runAt: Date
    public var attempt: Int
    public var maxAttempts: Int
    public var usesGP: Bool
    public var owner: String?
    public var leaseUntil: Date?
    public var dedupKey: String?
    /// JSON text.
    public var payload: String
    /// JSON text: `{"processed": n, "total": m, "counters": {...}}` as the handler reported it.
    public var progress: String?
    public var lastError: String?
    public var cancelRequested: Bool
    public var createdAt: Date
    public var attemptedAt: Date?
    public var finishedAt: Date?

    /// The column list every query that builds a `JobRecord` selects (qualified by `j.`).
    static let columns = """
        j.id, j.tenant_id, j.kind, j.state, j.priority, j.run_at, j.attempt, j.max_attempts, j.uses_gp,
        j.owner, j.lease_until, j.dedup_key, j.payload, j.progress, j.last_error, j.cancel_requested,
        j.created_at, j.attempted_at, j.finished_at
        """

    init(row: Row) throws {
        id = try row.decode("id")
        tenantID = try row.decode("tenant_id")
        kind = try row.decode("kind")
        let stateText: String = try row.decode("state")
        guard let state = JobState(rawValue: stateText) else {
            throw QueueError(.malformedRow, "job \(id) has unknown state \(stateText)")
        }
        self.state = state
        priority = try row.decode("priority")
        runAt = try row.decode("run_at")
        attempt = try row.decode("attempt")
        maxAttempts = try row.decode("max_attempts")
        usesGP = try row.decode("uses_gp")
        owner = try row.decode("owner")
        leaseUntil = try row.decode("lease_until")
        dedupKey = try row.decode("dedup_key")
        payload = try row.decode("payload")
        progress = try row.decode("progress")
        lastError = try row.decode("last_error")
        cancelRequested = try row.decode("cancel_requested")
        createdAt = try row.decode("created_at")
        attemptedAt = try row.decode("attempted_at")
        finishedAt = try row.decode("finished_at")
    }
}

/// One line of a job's history (`job_events`; a successful last attempt is read from the job row
/// and has id 0).
public struct JobEvent: Sendable, Codable, Equatable {
    public var id: Int64
    public var jobID: Int64
    public var attempt: Int
    /// completed, retry_scheduled, discarded, cancelled, rescued, released, replayed,
    /// cancel_requested, enqueued_by_schedule …
    public var event: String
    public var at: Date
    public var startedAt: Date?
    public var durationMs: Double?
    public var worker: String?
    /// Who did it, for acts of a person or system (replay, cancel).
    public var actor: String?
    public var error: String?

    init(id: Int64, jobID: Int64, attempt: Int, event: String, at: Date, startedAt: Date?,
         durationMs: Double?, worker: String?, actor: String?, error: String?) {
        self.id = id
        self.jobID = jobID
        self.attempt = attempt
        self.event = event
        self.at = at
        self.startedAt = startedAt
        self.durationMs = durationMs
        self.worker = worker
        self.actor = actor
        self.error = error
    }

    init(row: Row) throws {
        id = try row.decode("id")
        jobID = try row.decode("job_id")
        attempt = try row.decode("attempt")
        event = try row.decode("event")
        at = try row.decode("at")
        startedAt = try row.decode("started_at")
        durationMs = try row.decode("duration_ms")
        worker = try row.decode("worker")
        actor = try row.decode("actor")
        error = try row.decode("error")
    }
}

/// A job with its whole history.
public struct JobDetail: Sendable, Codable, Equatable {
    public var job: JobRecord
    public var events: [JobEvent]
}

/// One page of `JobQueue.list`; pass `nextCursor` back to get the next (older) page.
public struct JobPage: Sendable, Codable, Equatable {
    public var jobs: [JobRecord]
    public var nextCursor: Int64?
}

/// Filters of `JobQueue.list`; nil means any.
public struct JobFilter: Sendable, Equatable {
    public var tenantID: String?
    public var kind: String?
    public var state: JobState?

    public init(tenantID: String? = nil, kind: String? = nil, state: JobState? = nil) {
        self.tenantID = tenantID
        self.kind = kind
        self.state = state
    }
}
