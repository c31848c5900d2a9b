-- The local agent's relay: GP calls queued by any worker process for a tenant whose GP is reached
-- through `ml-connector agent`, taken by that tenant's agent on a long poll (any server process
-- may serve it), and answered through POST /v1/agent/results.
--
-- A call row never holds a credential: the agent keeps the GP user name and password on the
-- merchant's network, and the relay strips any Authorization header before it stores a request.
--
-- States: queued → taken → done | failed, or queued → expired (no agent took it before pickup_by:
-- "agent offline", retryable), or taken → lost (no result before lease_until: the agent vanished
-- mid-call; retryable, and the job's own exactly-once rules decide what a retry does). Every
-- transition is one guarded UPDATE; a result for a call that is no longer `taken` changes nothing,
-- which is what makes a result sent twice count once.
--
-- UNLOGGED: a call lives for seconds and its bodies can be megabytes (a whole catalog); writing
-- them to the WAL would double the relay's I/O for nothing worth recovering. After a database
-- crash (or on a promoted standby) the table is empty: every waiting relay then finds its call
-- missing and fails it as `gp_agent_offline`, which the queue retries.
CREATE UNLOGGED TABLE agent_calls (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id      text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    state          text NOT NULL DEFAULT 'queued'
                   CHECK (state IN ('queued', 'taken', 'done', 'failed', 'expired', 'lost')),
    -- The request, without credentials.
    method         text NOT NULL,
    url            text NOT NULL,
    headers        jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(headers) = 'array'),
    body           bytea,
    timeout_s      double precision NOT NULL CHECK (timeout_s > 0),
    created_at     timestamptz NOT NULL DEFAULT now(),
    -- Not taken by then: the agent is offline.
    pickup_by      timestamptz NOT NULL,
    taken_at       timestamptz,
    taken_by       text,
    -- Taken and no result by then: the agent is gone. Agent heartbeats extend it.
    lease_until    timestamptz,
    -- The result: an HTTP answer (status, headers, body) or a transport error (error_code).
    status         integer,
    response_headers jsonb,
    response_body  bytea,
    duration_s     double precision,
    error_code     text,
    error_message  text,
    finished_at    timestamptz
);

-- The poll's claim: oldest queued calls of one tenant.
CREATE INDEX agent_calls_queued ON agent_calls (tenant_id, created_at) WHERE state = 'queued';
-- Pruning finished rows.
CREATE INDEX agent_calls_finished ON agent_calls (finished_at) WHERE finished_at IS NOT NULL;

-- Bodies are stored out of line and uncompressed: compressing a megabyte of JSON costs more CPU
-- than the few seconds it is kept are worth.
ALTER TABLE agent_calls ALTER COLUMN body SET STORAGE EXTERNAL,
                        ALTER COLUMN response_body SET STORAGE EXTERNAL;

-- Rows are short-lived and updated a few times each: leave room for HOT updates and vacuum often.
ALTER TABLE agent_calls SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.05,
                             autovacuum_analyze_scale_factor = 0.05);

-- The last heartbeat of each tenant's agent: what the tenant shows as `agent`.
CREATE TABLE agent_status (
    tenant_id   text PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    -- The agent process's own random id (a restart gets a new one) and its version.
    agent_id    text NOT NULL CHECK (length(agent_id) BETWEEN 1 AND 64),
    version     text NOT NULL CHECK (length(version) <= 64),
    hostname    text NOT NULL DEFAULT '' CHECK (length(hostname) <= 255),
    last_seen   timestamptz NOT NULL DEFAULT now(),
    -- The agent's own last GP ping: {ok, status, http_status, latency_ms, message, at}.
    gp_ping     jsonb
);
