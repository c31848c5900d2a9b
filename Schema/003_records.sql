-- 003_records: what the connector synced, why, and how (Sources/Connector/Flows/Records owns
-- every statement on these tables).
--
-- tenant_id is plain text without a foreign key, as in 002_queue: records and their audit trail
-- are the merchant's evidence and outlive a removed tenant until pruned on purpose.

-- One row per synced thing. UNIQUE (tenant_id, entity, source_key) is the dedup ledger: an order
-- has exactly one record whatever number of webhooks, polls and replays mention it.
--   status: pending, synced, skipped, posted (final), needs_attention, conflict, failed, abandoned
--   arrived_via: webhook, poll, or both (a silent webhook shows as poll-only orders)
CREATE TABLE records (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id          text        NOT NULL,
    entity             text        NOT NULL CHECK (entity IN ('item', 'customer', 'order', 'invoice')),
    source_key         text        NOT NULL CHECK (length(source_key) BETWEEN 1 AND 200),
    target_key         text,
    content_hash       text,
    status             text        NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'synced', 'skipped', 'posted', 'needs_attention',
                                         'conflict', 'failed', 'abandoned')),
    arrived_via        text        NOT NULL DEFAULT 'poll' CHECK (arrived_via IN ('webhook', 'poll', 'both')),
    -- A second lookup key: a customer's lower-cased e-mail (orders map back by it).
    match_key          text,
    -- Commerce events seen for an order, e.g. {order_placed,invoice_captured}.
    events             text[]      NOT NULL DEFAULT '{}',
    last_error_code    text,
    last_error_message text,
    last_error_fix     text,
    attempts           integer     NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, entity, source_key),
    CHECK ((last_error_code IS NULL) = (last_error_message IS NULL))
) WITH (
    -- Item syncs rewrite status/hash/updated_at of many rows every run; room for HOT updates.
    fillfactor = 90
);

-- Listing a tenant's records by entity and status, newest first (cursor = id).
CREATE INDEX records_list_idx ON records (tenant_id, entity, status, id);
CREATE INDEX records_tenant_id_idx ON records (tenant_id, id);
-- Customer by e-mail for order posting.
CREATE INDEX records_match_idx ON records (tenant_id, entity, match_key) WHERE match_key IS NOT NULL;
-- "Arrived only by polling in the last 24 h".
CREATE INDEX records_poll_only_idx ON records (tenant_id, created_at) WHERE arrived_via = 'poll' AND entity = 'order';

-- Append-only: each outbound call and each decision about a record. Bodies are redacted
-- (passwords, tokens, Authorization, secrets by key name) and capped before they get here.
CREATE TABLE audit_events (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_id      bigint      NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    tenant_id      text        NOT NULL,
    kind           text        NOT NULL CHECK (kind IN ('call', 'decision')),
    -- Decisions: a stable code (skipped_unchanged, matched_by_email, parked, …). Calls: the system (gp, commerce).
    code           text        NOT NULL,
    message        text        NOT NULL DEFAULT '',
    method         text,
    url            text,
    status         integer,
    duration_ms    integer,
    request_body   text,
    response_body  text,
    job_id         bigint,
    at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_record_idx ON audit_events (record_id, id);

-- Per tenant and entity: the last modified date / updated_at fully processed. Only moves forward.
CREATE TABLE watermarks (
    tenant_id   text        NOT NULL,
    entity      text        NOT NULL,
    value_at    timestamptz,
    value_text  text,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, entity)
);

-- Every webhook delivery as received, for audit and replay (the raw bytes the signature covered).
CREATE TABLE webhook_deliveries (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id     text        NOT NULL,
    event_name    text        NOT NULL,
    dedup_key     text,
    record_id     bigint      REFERENCES records (id) ON DELETE SET NULL,
    body          bytea       NOT NULL,
    signature_ok  boolean     NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_tenant_idx ON webhook_deliveries (tenant_id, id);
CREATE INDEX webhook_deliveries_received_idx ON webhook_deliveries (received_at);
