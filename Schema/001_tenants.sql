-- Tenants, their sealed credentials, and API tokens.
--
-- tenants.settings holds the validated, normalised tenant document WITHOUT secrets (the same
-- JSON the API shows, minus the *_set flags). Each secret is one row of tenant_secrets:
-- AES-256-GCM ciphertext in the vault's SealedSecret format, whose associated data binds it to
-- (tenant id, field), so a row copied to another tenant or field fails to open. key_id repeats
-- the key id inside the ciphertext so `ml-connector keys rotate` can find what to re-seal.

CREATE TABLE tenants (
    -- A URL-safe slug or a lowercase UUID (see TenantID).
    id          text PRIMARY KEY
                CHECK (id ~ '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    settings    jsonb NOT NULL CHECK (jsonb_typeof(settings) = 'object'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Names are unique regardless of case: "Contoso" and "contoso" are one merchant.
CREATE UNIQUE INDEX tenants_name_unique ON tenants (lower(name));

CREATE TABLE tenant_secrets (
    tenant_id   text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    -- The dotted field name, e.g. gp.password, commerce.auth.consumer_secret.
    field       text NOT NULL CHECK (field ~ '^[a-z_]+(\.[a-z_]+)+$'),
    sealed      bytea NOT NULL,
    key_id      text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, field)
);

-- Rotation looks for rows not yet under the current key.
CREATE INDEX tenant_secrets_key_id ON tenant_secrets (key_id);

-- API bearer tokens. The token itself is shown once and never stored: only SHA-256 of it.
-- The id is the public part of the token (mlc_<id>_<secret>), used to look a token up, list and
-- revoke it. scope: admin (whole control plane), tenant (one tenant's resources), agent (the
-- agent endpoints of one tenant).
CREATE TABLE api_tokens (
    id            text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{16}$'),
    token_hash    bytea NOT NULL CHECK (octet_length(token_hash) = 32),
    scope         text NOT NULL CHECK (scope IN ('admin', 'tenant', 'agent')),
    tenant_id     text REFERENCES tenants (id) ON DELETE CASCADE,
    name          text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    CHECK ((scope = 'admin') = (tenant_id IS NULL))
);

CREATE INDEX api_tokens_tenant ON api_tokens (tenant_id) WHERE tenant_id IS NOT NULL;
