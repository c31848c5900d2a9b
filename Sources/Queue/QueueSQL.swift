/// Every statement of the queue, in one place. Each state transition is one statement guarded in
/// its WHERE clause (River's rule), so a concurrent transition can only make it match nothing.
public enum QueueSQL {
    static let unfinished = "('available', 'scheduled', 'retryable', 'running')"

    /// The dedup rule of every enqueue: at most one live job per key (partial unique index).
    static let dedupConflict = "ON CONFLICT (dedup_key) WHERE dedup_key IS NOT NULL AND state IN \(unfinished) DO NOTHING"

    /// The insert of `enqueue`, for a caller that enqueues inside its own statement (a
    /// data-modifying CTE: one round trip on a hot path). Inserts the rows of `source`, a query
    /// with columns tenant_id, kind, priority, run_at, max_attempts, uses_gp, dedup_key, payload
    /// (take uses_gp and max_attempts from `JobQueue.stamp`), with the same state, run_at and
    /// dedup rules as `enqueue`; returns `id, state, dedup_key` of the rows it inserted (none on
    /// a live duplicate). The caller sends the wake-up itself: `pg_notify(queue.channel, '')` when a
    /// returned state is 'available'.
    public static func enqueueInsert(from source: String) -> String {
        """
        INSERT INTO jobs AS j (tenant_id, kind, state, priority, run_at, max_attempts, uses_gp, dedup_key, payload)
        SELECT s.tenant_id, s.kind, CASE WHEN s.run_at > now() THEN 'scheduled' ELSE 'available' END,
               s.priority, coalesce(s.run_at, now()), s.max_attempts, s.uses_gp, s.dedup_key, s.payload::jsonb
          FROM (\(source)) s
        \(dedupConflict)
        RETURNING j.id, j.state, j.dedup_key
        """
    }

    /// `ensureSlots` for the rows of the same `source` that use GP (`slots`: an SQL expression for
    /// `JobQueue.defaultMaxParallelGPCalls`, usually a parameter).
    public static func ensureSlotsInsert(from source: String, slots: String) -> String {
        """
        INSERT INTO queue_gp_slots (tenant_id, slot)
        SELECT s.tenant_id, g FROM (\(source)) s CROSS JOIN generate_series(1, (\(slots))::int) g
         WHERE s.uses_gp
           AND NOT EXISTS (SELECT 1 FROM queue_tenant_limits l WHERE l.tenant_id = s.tenant_id)
           AND NOT EXISTS (SELECT 1 FROM queue_gp_slots q WHERE q.tenant_id = s.tenant_id)
        ON CONFLICT DO NOTHING
        """
    }

    /// Single enqueue with dedup. `ON CONFLICT DO NOTHING` on the partial unique index; if it hit a
    /// live job, the second branch returns that job. Under READ COMMITTED the conflicting row may
    /// be newer than this statement's snapshot (then neither branch returns a row) — the caller
    /// retries the statement, which takes a fresh snapshot.
    /// $1 tenant, $2 kind, $3 priority, $4 dedup key, $5 run_at, $6 max_attempts, $7 uses_gp,
    /// $8 payload
    static let enqueue = """
        WITH ins AS (
            INSERT INTO jobs AS j (tenant_id, kind, state, priority, run_at, max_attempts, uses_gp, dedup_key, payload)
            VALUES ($1, $2,
                    CASE WHEN $5::timestamptz > now() THEN 'scheduled' ELSE 'available' END,
                    $3, coalesce($5::timestamptz, now()), $6, $7, $4::text, $8::jsonb)
            \(dedupConflict)
            RETURNING \(JobRecord.columns), true AS inserted
        )
        SELECT * FROM ins
        UNION ALL
        SELECT \(JobRecord.columns), false FROM jobs j
         WHERE $4::text IS NOT NULL AND j.dedup_key = $4::text AND j.state IN \(unfinished)
           AND NOT EXISTS (SELECT 1 FROM ins)
        """

    /// Batch enqueue: one statement for many jobs (dedup conflicts silently skipped).
    static let enqueueMany = """
        INSERT INTO jobs (tenant_id, kind, state, priority, run_at, max_attempts, uses_gp, dedup_key, payload)
        SELECT u.t, u.k, CASE WHEN u.r > now() THEN 'scheduled' ELSE 'available' END,
               u.p, coalesce(u.r, now()), u.m, u.g, u.d, u.pl::jsonb
          FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[], $5::int[], $6::bool[],
                      $7::text[], $8::text[]) AS u(t, k, p, r, m, g, d, pl)
        ON CONFLICT (dedup_key) WHERE dedup_key IS NOT NULL AND state IN \(unfinished) DO NOTHING
        RETURNING state = 'available' AS ready
        """

    /// A tenant that runs GP jobs before the tenants code set its limit gets `$2` slots.
    static let ensureSlots = """
        INSERT INTO queue_gp_slots (tenant_id, slot)
        SELECT $1, g FROM generate_series(1, $2::int) g
         WHERE NOT EXISTS (SELECT 1 FROM queue_tenant_limits WHERE tenant_id = $1)
           AND NOT EXISTS (SELECT 1 FROM queue_gp_slots WHERE tenant_id = $1)
        ON CONFLICT DO NOTHING
        """

    /// The claim, one statement. Fairness: the recursive CTE walks the distinct (tenant, uses_gp)
    /// groups that have available jobs (a loose index scan on jobs_claim_idx: one probe per group,
    /// however deep a tenant's backlog), starting after the tenant served last by this worker; each
    /// tenant gets ceil(limit / tenants) of this round. GP jobs additionally take one free row of
    /// queue_gp_slots each (FOR UPDATE SKIP LOCKED), at most $5 per tenant per claim.
    /// $1 owner, $2 limit, $3 lease seconds, $4 rotation cursor (tenant), $5 GP jobs per tenant.
    static let claim = """
        WITH RECURSIVE grp AS (
            (SELECT tenant_id, uses_gp FROM jobs WHERE state = 'available'
              ORDER BY tenant_id, uses_gp LIMIT 1)
            UNION ALL
            SELECT n.tenant_id, n.uses_gp FROM grp g CROSS JOIN LATERAL (
                SELECT j.tenant_id, j.uses_gp FROM jobs j
                 WHERE j.state = 'available' AND (j.tenant_id, j.uses_gp) > (g.tenant_id, g.uses_gp)
                 ORDER BY j.tenant_id, j.uses_gp LIMIT 1) n
        ),
        groups AS MATERIALIZED (
            SELECT tenant_id, uses_gp,
                   ceil($2::float8 / (SELECT count(DISTINCT tenant_id) FROM grp))::int AS share
              FROM grp ORDER BY tenant_id <= $4::text, tenant_id, uses_gp
        ),
        gp_slots AS MATERIALIZED (
            SELECT s.tenant_id, s.slot, row_number() OVER (PARTITION BY s.tenant_id ORDER BY s.slot) AS rn
              FROM groups g CROSS JOIN LATERAL (
                  SELECT q.tenant_id, q.slot FROM queue_gp_slots q
                   WHERE q.tenant_id = g.tenant_id AND q.job_id IS NULL
                   ORDER BY q.slot LIMIT $5 FOR UPDATE SKIP LOCKED) s
             WHERE g.uses_gp
        ),
        gp_jobs AS MATERIALIZED (
            SELECT x.id, x.tenant_id,
                   row_number() OVER (PARTITION BY x.tenant_id ORDER BY x.priority, x.run_at, x.id) AS rn
              FROM groups g CROSS JOIN LATERAL (
                  SELECT j.id, j.tenant_id, j.priority, j.run_at FROM jobs j
                   WHERE j.state = 'available' AND j.tenant_id = g.tenant_id AND j.uses_gp
                   ORDER BY j.priority, j.run_at, j.id
                   LIMIT (SELECT count(*) FROM gp_slots s WHERE s.tenant_id = g.tenant_id)
                   FOR UPDATE OF j SKIP LOCKED) x
             WHERE g.uses_gp
        ),
        plain_jobs AS MATERIALIZED (
            SELECT x.id FROM groups g CROSS JOIN LATERAL (
                SELECT j.id FROM jobs j
                 WHERE j.state = 'available' AND j.tenant_id = g.tenant_id AND NOT j.uses_gp
                 ORDER BY j.priority, j.run_at, j.id LIMIT g.share
                 FOR UPDATE OF j SKIP LOCKED) x
             WHERE NOT g.uses_gp
             LIMIT $2
        ),
        picked AS (
            SELECT id, NULL::int AS slot FROM plain_jobs
            UNION ALL
            SELECT j.id, s.slot FROM gp_jobs j JOIN gp_slots s ON s.tenant_id = j.tenant_id AND s.rn = j.rn
        ),
        claimed AS (
            -- id = ANY(ARRAY(...)) keeps this a primary-key lookup per row; a join with picked
            -- let the planner hash-join a sequential scan of the whole table for big batches.
            UPDATE jobs j SET state = 'running', attempt = j.attempt + 1, owner = $1,
                   lease_until = now() + make_interval(secs => $3::float8), attempted_at = now()
             WHERE j.id = ANY (ARRAY(SELECT id FROM picked)) AND j.state = 'available'
         RETURNING j.id, j.tenant_id, j.kind, j.attempt, j.max_attempts, j.uses_gp, j.payload,
                   j.created_at, j.priority, j.attempted_at
        ),
        took AS (
            UPDATE queue_gp_slots s SET job_id = c.id, attempt = c.attempt
              FROM claimed c JOIN picked p ON p.id = c.id
             WHERE p.slot IS NOT NULL AND s.tenant_id = c.tenant_id AND s.slot = p.slot
        )
        SELECT id, tenant_id, kind, attempt, max_attempts, uses_gp, payload, created_at, priority,
               attempted_at FROM claimed
        """

    /// Batched finish (complete / retry / discard / cancel), guarded by owner, attempt and state:
    /// a worker whose job was rescued or released matches nothing. The job's GP slot is released
    /// and (for anything but success) the attempt's history row written in the same statement.
    /// Returns the ids it changed.
    /// $1 owner; arrays $2 id, $3 attempt, $4 outcome, $5 delay s, $6 error, $7 started_at, $8 duration ms
    static let finish = """
        WITH input AS (
            SELECT * FROM unnest($2::bigint[], $3::int[], $4::text[], $5::float8[], $6::text[],
                                 $7::timestamptz[], $8::float8[])
                AS i(id, attempt, outcome, delay_s, error, started_at, duration_ms)
        ),
        done AS (
            UPDATE jobs j SET
                   state = CASE WHEN i.outcome = 'completed' THEN 'completed'
                                WHEN i.outcome = 'discard' THEN 'discarded'
                                WHEN i.outcome = 'cancelled' THEN 'cancelled'
                                WHEN j.attempt >= j.max_attempts THEN 'discarded'
                                WHEN i.delay_s > 0 THEN 'retryable' ELSE 'available' END,
                   run_at = CASE WHEN i.outcome = 'retry'
                                 THEN now() + make_interval(secs => i.delay_s) ELSE j.run_at END,
                   finished_at = CASE WHEN i.outcome = 'retry' AND j.attempt < j.max_attempts
                                      THEN NULL ELSE now() END,
                   -- A completed job keeps its owner: the row itself is the record of its
                   -- last attempt (attempted_at, finished_at, owner), so success writes no
                   -- job_events row — the burn-down hot path stays one row version per step.
                   owner = CASE WHEN i.outcome = 'completed' THEN j.owner END, lease_until = NULL,
                   last_error = coalesce(i.error, j.last_error)
              FROM input i
             WHERE j.id = ANY ($2::bigint[]) AND j.id = i.id AND j.attempt = i.attempt
               AND j.owner = $1 AND j.state = 'running'
         RETURNING j.id, j.attempt, j.state, j.uses_gp
        ),
        released AS (
            UPDATE queue_gp_slots s SET job_id = NULL, attempt = NULL
              FROM done d WHERE d.uses_gp AND s.job_id = d.id AND s.attempt = d.attempt
        ),
        history AS (
            INSERT INTO job_events (job_id, attempt, event, started_at, duration_ms, worker, error)
            SELECT d.id, d.attempt,
                   CASE WHEN d.state IN ('retryable', 'available') THEN 'failed' ELSE d.state END,
                   i.started_at, i.duration_ms, $1, i.error
              FROM done d JOIN input i ON i.id = d.id
             WHERE d.state <> 'completed'
        )
        SELECT id FROM done
        """

    /// Heartbeat: extends the lease of the listed jobs this owner still holds and reports which
    /// of them someone asked to cancel. Touches only lease_until (no index), so it is a HOT update.
    static let heartbeat = """
        UPDATE jobs SET lease_until = now() + make_interval(secs => $2::float8)
         WHERE state = 'running' AND owner = $1 AND id = ANY($3::bigint[])
        RETURNING id, cancel_requested
        """

    /// Gives claimed jobs back without using up an attempt (graceful shutdown): max_attempts grows
    /// by one instead of attempt shrinking, so (owner, attempt) stays a unique fencing token.
    /// $1 owner, $2 ids, $3 attempts, $4 reason
    static let release = """
        WITH input AS (SELECT * FROM unnest($2::bigint[], $3::int[]) AS i(id, attempt)),
        rel AS (
            UPDATE jobs j SET state = 'available', owner = NULL, lease_until = NULL, run_at = now(),
                   max_attempts = j.max_attempts + 1
              FROM input i
             WHERE j.id = ANY ($2::bigint[]) AND j.id = i.id AND j.attempt = i.attempt
               AND j.owner = $1 AND j.state = 'running'
         RETURNING j.id, j.attempt, j.uses_gp
        ),
        slots AS (
            UPDATE queue_gp_slots s SET job_id = NULL, attempt = NULL
              FROM rel r WHERE r.uses_gp AND s.job_id = r.id AND s.attempt = r.attempt
        )
        INSERT INTO job_events (job_id, attempt, event, worker, error)
        SELECT id, attempt, 'released', $1, $4 FROM rel
        RETURNING job_id
        """

    /// The rescuer: running jobs whose lease expired (their worker crashed, hung or lost the
    /// database) go back to available — or to discarded when that was their last attempt. Guarded
    /// by the owner and attempt read under the row lock, and by the lease still being expired, so
    /// a heartbeat or completion that lands first wins.
    static let rescue = """
        WITH expired AS MATERIALIZED (
            SELECT id, owner, attempt FROM jobs
             WHERE state = 'running' AND lease_until < now()
             ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
        ),
        res AS (
            UPDATE jobs j SET
                   state = CASE WHEN j.attempt >= j.max_attempts THEN 'discarded' ELSE 'available' END,
                   finished_at = CASE WHEN j.attempt >= j.max_attempts THEN now() END,
                   run_at = now(), owner = NULL, lease_until = NULL,
                   last_error = 'lease expired: worker ' || e.owner
                                || ' stopped heartbeating (crashed, hung or lost the database)'
              FROM expired e
             WHERE j.id = ANY (ARRAY(SELECT id FROM expired)) AND j.id = e.id AND j.owner = e.owner AND j.attempt = e.attempt
               AND j.state = 'running' AND j.lease_until < now()
         RETURNING j.id, j.attempt, j.uses_gp, j.last_error, j.attempted_at, e.owner AS old_owner
        ),
        slots AS (
            UPDATE queue_gp_slots s SET job_id = NULL, attempt = NULL
              FROM res r WHERE r.uses_gp AND s.job_id = r.id AND s.attempt = r.attempt
        )
        INSERT INTO job_events (job_id, attempt, event, started_at, worker, error)
        SELECT id, attempt, 'rescued', attempted_at, old_owner, last_error FROM res
        RETURNING job_id
        """

    /// Promotes due scheduled/retryable jobs to available.
    static let stage = """
        WITH due AS (
            SELECT id FROM jobs WHERE state IN ('scheduled', 'retryable') AND run_at <= now()
             ORDER BY run_at LIMIT $1 FOR UPDATE SKIP LOCKED
        )
        UPDATE jobs j SET state = 'available'
         WHERE j.id = ANY (ARRAY(SELECT id FROM due)) AND j.state IN ('scheduled', 'retryable')
        RETURNING j.id
        """

    /// Retention: deletes up to $2 completed/cancelled jobs finished before now() - $1 seconds, and
    /// their history. Never touches unfinished or discarded jobs.
    static let prune = """
        WITH old AS (
            SELECT id FROM jobs
             WHERE state IN ('completed', 'cancelled')
               AND finished_at < now() - make_interval(secs => $1::float8)
             ORDER BY finished_at LIMIT $2 FOR UPDATE SKIP LOCKED
        ),
        gone AS (
            DELETE FROM jobs j WHERE j.id = ANY (ARRAY(SELECT id FROM old)) AND j.state IN ('completed', 'cancelled')
            RETURNING j.id
        ),
        history AS (DELETE FROM job_events e WHERE e.job_id = ANY (ARRAY(SELECT id FROM gone)))
        SELECT count(*) FROM gone
        """

    static let pruneTicks = """
        DELETE FROM schedule_ticks WHERE ctid = ANY (ARRAY(
            SELECT ctid FROM schedule_ticks WHERE fired_at < now() - make_interval(secs => $1::float8)
             LIMIT $2))
        """
}
