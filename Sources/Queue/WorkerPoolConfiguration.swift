import Foundation

/// Settings of a `WorkerPool`. Defaults suit production; tests shorten the lease and intervals.
public struct WorkerPoolConfiguration: Sendable {
    /// libpq conninfo (URL or key=value) each worker thread connects with.
    public var conninfo: String
    /// Worker threads, each with its own connection.
    public var threads: Int
    /// Jobs claimed per statement by one thread (bounded prefetch: a crash strands at most this
    /// many per thread until their lease expires).
    public var batchSize: Int
    /// GP jobs one claim may take per tenant (a GP job holds a slot from claim to finish, so a
    /// thread should not sit on several it cannot run at once).
    public var gpPerTenantPerClaim: Int
    public var leaseSeconds: Double
    public var heartbeatInterval: Double
    /// Idle workers claim again after this long even without a NOTIFY (lost notifications only delay).
    public var pollInterval: Double
    /// How often the maintenance thread rescues expired leases, stages due jobs and fires schedules.
    public var maintenanceInterval: Double
    public var pruneInterval: Double
    /// Completed and cancelled jobs older than this are pruned.
    public var retentionSeconds: Double
    public var runScheduler: Bool
    /// LISTEN for enqueue notifications (polling alone otherwise).
    public var listen: Bool
    /// Claims and batched outcomes commit with `synchronous_commit = off` (per worker session).
    /// Safe because every such transition can be re-derived: a claim lost in a database crash
    /// leaves the job available; a lost outcome leaves it running until its lease expires and the
    /// rescuer hands it out again — at-least-once, as a crash mid-run already implies. Enqueues
    /// (the caller's transaction) and `JobContext.transaction` (a handler's side effects together
    /// with its completion) always commit synchronously, so exactly-once database effects hold.
    /// Saves one WAL flush wait per claim and per batch of outcomes.
    public var asyncAcks: Bool

    public init(conninfo: String, threads: Int = 4, batchSize: Int = 10, gpPerTenantPerClaim: Int = 1,
                leaseSeconds: Double = 60, heartbeatInterval: Double = 10, pollInterval: Double = 1,
                maintenanceInterval: Double = 1, pruneInterval: Double = 600,
                retentionSeconds: Double = 7 * 86_400, runScheduler: Bool = true, listen: Bool = true,
                asyncAcks: Bool = true) {
        self.conninfo = conninfo
        self.threads = threads
        self.batchSize = batchSize
        self.gpPerTenantPerClaim = gpPerTenantPerClaim
        self.leaseSeconds = leaseSeconds
        self.heartbeatInterval = heartbeatInterval
        self.pollInterval = pollInterval
        self.maintenanceInterval = maintenanceInterval
        self.pruneInterval = pruneInterval
        self.retentionSeconds = retentionSeconds
        self.runScheduler = runScheduler
        self.listen = listen
        self.asyncAcks = asyncAcks
    }
}
