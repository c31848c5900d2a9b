-- 002_queue: the PostgreSQL job queue (Sources/Queue owns every statement that touches these tables).
--
-- States of a job (text + CHECK instead of an enum type, so adding one later is one ALTER):
--   available  ready to be claimed now
--   scheduled  waits for run_at (enqueued with a future run_at)
--   retryable  failed, waits for its backoff (run_at); promoted to available when due
--   running    claimed: owner + lease_until set; heartbeats extend the lease
--   completed  done (pruned after the retention age, 7 days by default)
--   discarded  permanent failure, attempts exhausted or unknown kind; kept until replayed/deleted
--   cancelled  cancelled by a person; pruned like completed
--
-- tenant_id is plain text on purpose: the tenants table belongs to another migration and the
-- queue must not depend on it (jobs outlive a deleted tenant for the audit trail).

CREATE TABLE jobs (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id        text        NOT NULL,
    kind             text        NOT NULL,
    state            text        NOT NULL DEFAULT 'available'
                     CHECK (state IN ('available', 'scheduled', 'retryable', 'running',
                                      'completed', 'discarded', 'cancelled')),
    -- Lower runs first (River/graphile convention).
    priority         smallint    NOT NULL DEFAULT 100,
    run_at           timestamptz NOT NULL DEFAULT now(),
    attempt          integer     NOT NULL DEFAULT 0,
    max_attempts     integer     NOT NULL DEFAULT 20 CHECK (max_attempts > 0),
    -- Decided by the enqueuer's kind registry: the job holds one of the tenant's GP slots while
    -- it runs (see queue_gp_slots).
    uses_gp          boolean     NOT NULL DEFAULT false,
    owner            text,
    lease_until      timestamptz,
    dedup_key        text,
    payload          jsonb       NOT NULL DEFAULT '{}',
    progress         jsonb,
    last_error       text,
    cancel_requested boolean     NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now(),
    attempted_at     timestamptz,
    finished_at      timestamptz
) WITH (
    -- Every state change rewrites the row (state is in index predicates, so those updates are
    -- never HOT), but heartbeats and progress touch only lease_until/progress, which no index
    -- covers: 15 % free space per page lets those frequent updates stay HOT (no index writes).
    fillfactor = 85,
    -- A burned-down job leaves two dead versions (available, running). The default 20 % scale
    -- factor would let a 1M-row table collect 200k dead tuples before vacuum; vacuum early and
    -- without cost sleeps so the claim index stays small and SKIP LOCKED scans stay short.
    autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_vacuum_threshold = 1000,
    autovacuum_vacuum_insert_scale_factor = 0.05,
    autovacuum_vacuum_cost_delay = 0,
    autovacuum_analyze_scale_factor = 0.02
);

-- The claim: one (tenant, uses_gp) group after another (loose index scan for fairness), inside a
-- group ORDER BY priority, run_at, id. Partial, so it holds only claimable rows and stays tiny
-- however many finished jobs the table keeps.
CREATE INDEX jobs_claim_idx ON jobs (tenant_id, uses_gp, priority, run_at, id)
    WHERE state = 'available';
-- The stager promotes due scheduled/retryable jobs to available.
CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE state IN ('scheduled', 'retryable');
-- Heartbeats, the rescuer and shutdown release look at running jobs only (a few hundred rows).
-- Deliberately not on lease_until, so heartbeats stay HOT updates.
CREATE INDEX jobs_running_idx ON jobs (owner) WHERE state = 'running';
-- Dedup: one live job per key. Finished jobs do not block a new one (the records ledger of the
-- connector is the durable dedup; this stops concurrent duplicates).
CREATE UNIQUE INDEX jobs_dedup_idx ON jobs (dedup_key)
    WHERE dedup_key IS NOT NULL AND state IN ('available', 'scheduled', 'retryable', 'running');
-- Listing per tenant with cursor pagination (newest first).
CREATE INDEX jobs_tenant_idx ON jobs (tenant_id, id);
-- Retention pruning in small batches, oldest first.
CREATE INDEX jobs_prune_idx ON jobs (finished_at) WHERE state IN ('completed', 'cancelled');

-- Append-only history: one row per finished attempt (started_at, outcome, error, duration) and
-- one per administrative act (replayed, cancelled, released, rescued) with who did it.
-- No foreign key to jobs: pruning deletes both in one statement, and an insert-only table with
-- one small index is cheap to write at burn-down rates.
CREATE TABLE job_events (
    id          bigint GENERATED ALWAYS AS IDENTITY,
    job_id      bigint      NOT NULL,
    attempt     integer     NOT NULL,
    event       text        NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    started_at  timestamptz,
    duration_ms double precision,
    worker      text,
    actor       text,
    error       text
) WITH (
    fillfactor = 100,  -- never updated
    -- Insert-only: vacuum only to set visibility bits, and after pruning deletes.
    autovacuum_vacuum_insert_scale_factor = 0.2,
    autovacuum_vacuum_scale_factor = 0.05
);
CREATE INDEX job_events_job_idx ON job_events (job_id, id);

-- Per-tenant GP concurrency. queue_tenant_limits is the setting (kept in sync by the tenants
-- code through Queue.setTenantLimit); queue_gp_slots holds exactly max_parallel rows per tenant.
-- A running GP job holds one slot row (job_id, attempt); the claim takes free slots with
-- FOR UPDATE SKIP LOCKED, so two claimers can never take the same slot.
CREATE TABLE queue_tenant_limits (
    tenant_id    text PRIMARY KEY,
    max_parallel integer NOT NULL CHECK (max_parallel > 0)
);
CREATE TABLE queue_gp_slots (
    tenant_id text    NOT NULL,
    slot      integer NOT NULL,
    job_id    bigint,
    attempt   integer,
    PRIMARY KEY (tenant_id, slot)
) WITH (fillfactor = 50);  -- tiny and updated twice per GP job: keep those updates HOT

-- Interval schedules per tenant and entity. next_fire_at always lies on the grid
-- anchor + k * every_s; missed ticks are coalesced by jumping to the next grid point after now.
CREATE TABLE schedules (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    text        NOT NULL,
    entity       text        NOT NULL,
    kind         text        NOT NULL,
    payload      jsonb       NOT NULL DEFAULT '{}',
    every_s      integer     NOT NULL CHECK (every_s > 0),
    next_fire_at timestamptz NOT NULL,
    enabled      boolean     NOT NULL DEFAULT true,
    last_fired_at timestamptz,
    UNIQUE (tenant_id, entity)
);
CREATE INDEX schedules_due_idx ON schedules (next_fire_at) WHERE enabled;

-- One row per fired tick: the primary key (schedule, fire time) makes each tick enqueue once
-- however many schedulers race for it.
CREATE TABLE schedule_ticks (
    schedule_id bigint      NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    fire_at     timestamptz NOT NULL,
    job_id      bigint,
    fired_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (schedule_id, fire_at)
);
