import Foundation
import Logging
import Postgres

/// The PostgreSQL job queue: owns the `jobs`, `job_events`, `queue_gp_slots`,
/// `queue_tenant_limits`, `schedules` and `schedule_ticks` tables (`Schema/002_queue.sql`) and
/// every statement on them. Each operation takes the `Connection` to run on, so an enqueue joins
/// the caller's open transaction (the job exists iff the caller commits).
///
/// ```swift
/// let queue = JobQueue(registry: registry)
/// try conn.transaction { conn in
///     try conn.execute("INSERT INTO records …")
///     _ = try queue.enqueue(conn, kind: "order.post", tenant: "t1", payload: #"{"order":"100"}"#,
///                           dedupKey: "order:t1:100")
/// }
/// ```
///
/// Worker threads (`WorkerPool`) use the claim/finish/heartbeat/rescue side of the same type.
///
/// ## Per-tenant GP concurrency, and why races cannot exceed it
/// A kind registered with `usesGP: true` is stamped `uses_gp` at enqueue. `queue_gp_slots` holds
/// exactly `max_parallel` rows per tenant (`setTenantLimit`). The claim statement pairs each GP job
/// it takes with one slot row whose `job_id` is NULL, locked `FOR UPDATE SKIP LOCKED`, and writes
/// the job's id and attempt into that slot in the same statement that marks the job running. Two
/// claimers can never take the same slot: the second one skips the locked row, and if the first
/// already committed, PostgreSQL re-checks `job_id IS NULL` on the newest row version and drops
/// it. So the number of running GP jobs of a tenant is at most the number of its slot rows, in
/// any number of processes. A slot is freed only in the statement that ends its holder's attempt
/// (finish, rescue after lease expiry, release), matched on job id *and* attempt, so a late
/// finish of an old attempt cannot free the slot of a newer one. A crashed worker keeps its slots
/// until the rescuer expires its lease — the job might still be running somewhere.
///
/// ## Fairness
/// One claim serves every tenant with available jobs: it walks the distinct tenants (a loose index
/// scan), gives each `ceil(limit / tenants)` of the batch and rotates the starting tenant per
/// worker, so a tenant with 100,000 ready jobs cannot delay another's 10 past one claim round.
public struct JobQueue: Sendable {
    public let registry: JobRegistry
    public var backoff: Backoff
    /// max_attempts for kinds the registry does not know.
    public var defaultMaxAttempts: Int
    /// GP slots given to a tenant that runs a GP job before `setTenantLimit` was called for it.
    public var defaultMaxParallelGPCalls: Int
    /// LISTEN/NOTIFY channel that wakes idle workers.
    public var channel: String

    public init(registry: JobRegistry = JobRegistry(), backoff: Backoff = Backoff(),
                defaultMaxAttempts: Int = 20, defaultMaxParallelGPCalls: Int = 1,
                channel: String = "mlc_jobs") {
        self.registry = registry
        self.backoff = backoff
        self.defaultMaxAttempts = defaultMaxAttempts
        self.defaultMaxParallelGPCalls = defaultMaxParallelGPCalls
        self.channel = channel
    }

    func usesGP(_ kind: String) -> Bool { registry.kind(kind)?.usesGP ?? false }
    func maxAttempts(_ kind: String) -> Int { registry.kind(kind)?.maxAttempts ?? defaultMaxAttempts }
}

/// A job to enqueue.
public struct EnqueueRequest: Sendable {
    public var kind: String
    public var tenantID: String
    /// JSON text (must be a valid JSON document; jsonb checks it).
    public var payload: String
    public var dedupKey: String?
    public var runAt: Date?
    /// Lower runs first; default 100.
    public var priority: Int
    /// Overrides the kind's max_attempts.
    public var maxAttempts: Int?

    public init(kind: String, tenantID: String, payload: String = "{}", dedupKey: String? = nil,
                runAt: Date? = nil, priority: Int = 100, maxAttempts: Int? = nil) {
        self.kind = kind
        self.tenantID = tenantID
        self.payload = payload
        self.dedupKey = dedupKey
        self.runAt = runAt
        self.priority = priority
        self.maxAttempts = maxAttempts
    }
}

/// The job an enqueue produced, or the live job with the same dedup key that it found.
public struct EnqueueResult: Sendable, Equatable {
    public var job: JobRecord
    /// false when a live job with the same dedup key already existed (nothing was inserted).
    public var inserted: Bool
}

extension Date {
    var sqlText: String { String(decoding: postgresValue.bytes, as: UTF8.self) }
}
