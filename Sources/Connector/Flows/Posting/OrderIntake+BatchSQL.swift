import Queue

extension OrderIntake {
    /// `storeSQL` for a whole round of hooks (no order twice), one row per hook in, one out.
    /// Per hook ($1–$5, $9–$13, arrays in arrival order): tenant, source key (NULL: audit-only
    /// delivery), channel, event, decision table, dedup key, job payload, event name, raw body,
    /// signature ok. Shared: $6 job kind, $7 max_attempts, $8 uses_gp, $14–$17 the decision
    /// tables row by row (table, status key, posts?, audit message), $18 default GP slots,
    /// $19 NOTIFY channel, $20 entity, $21–$23 the `resolve_invoice` kind and its stamps (a hook
    /// with no source key but a dedup key and payload is an invoice hint: its job, no record).
    ///
    /// Same rows as running `storeSQL` per hook. The previous events and channel of a record
    /// ("seen before") are its row in the statement's snapshot — the version before `up` changed
    /// it, which the statement cannot see — read by primary key: a lookup by (tenant, entity,
    /// source key) lets a planner without statistics (a young table) take `records_list_idx`
    /// and read every order of the tenant per hook. Records are
    /// upserted in key order, so two writers with overlapping batches lock them in the same
    /// order (no deadlock between them); deliveries are inserted in arrival order.
    static let batchStoreSQL = """
        WITH h AS MATERIALIZED (
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $9::text[], $10::text[],
                                 $11::text[], $12::bytea[], $13::bool[])
                   WITH ORDINALITY AS h(tenant_id, source_key, channel, event, rule_set, dedup_key, payload,
                                        event_name, body, signature_ok, n)
        ), up AS (
            INSERT INTO records AS r (tenant_id, entity, source_key, arrived_via, events)
            SELECT h.tenant_id, $20, h.source_key, h.channel, ARRAY[h.event]
              FROM h WHERE h.source_key IS NOT NULL ORDER BY h.tenant_id, h.source_key
            ON CONFLICT (tenant_id, entity, source_key) DO UPDATE SET
                arrived_via = CASE WHEN r.arrived_via = EXCLUDED.arrived_via THEN r.arrived_via ELSE 'both' END,
                events = CASE WHEN EXCLUDED.events[1] = ANY(r.events) THEN r.events ELSE r.events || EXCLUDED.events[1] END,
                updated_at = now()
            RETURNING r.id, r.tenant_id, r.source_key, CASE WHEN r.xmax = 0 THEN '' ELSE r.status END AS status_key
        ), decided AS MATERIALIZED (
            SELECT h.*, up.id AS record_id, up.status_key,
                   coalesce(h.event = ANY(o.events) AND o.arrived_via IN (h.channel, 'both'), false) AS seen_before
              FROM h LEFT JOIN up ON up.tenant_id = h.tenant_id AND up.source_key = h.source_key
              LEFT JOIN LATERAL (
                  SELECT r.events, r.arrived_via FROM records r WHERE r.id = up.id
                  OFFSET 0  -- one primary-key probe per hook, never a join over the table
              ) o ON true
        ), rules AS MATERIALIZED (
            SELECT * FROM unnest($14::int[], $15::text[], $16::bool[], $17::text[]) AS x(rule_set, status_key, post, message)
        ), wanted AS MATERIALIZED (
            SELECT d.tenant_id, $6::text AS kind, 100 AS priority, NULL::timestamptz AS run_at,
                   $7::int AS max_attempts, $8::bool AS uses_gp, d.dedup_key, d.payload
              FROM decided d JOIN rules x ON x.rule_set = d.rule_set AND x.status_key = d.status_key AND x.post
            UNION ALL
            SELECT h.tenant_id, $21::text, 100, NULL::timestamptz, $22::int, $23::bool, h.dedup_key, h.payload
              FROM h WHERE h.source_key IS NULL AND h.dedup_key IS NOT NULL AND h.payload IS NOT NULL
        ), job AS (
            \(QueueSQL.enqueueInsert(from: "SELECT * FROM wanted ORDER BY dedup_key"))
        ), slots AS (
            \(QueueSQL.ensureSlotsInsert(from: "SELECT DISTINCT tenant_id, uses_gp FROM wanted", slots: "$18"))
        ), noted AS (
            INSERT INTO audit_events (record_id, tenant_id, kind, code, message)
            SELECT d.record_id, d.tenant_id, 'decision', 'event_noted', x.message
              FROM decided d JOIN rules x ON x.rule_set = d.rule_set AND x.status_key = d.status_key AND NOT x.post
             WHERE NOT d.seen_before
             ORDER BY d.n
        ), delivery AS (
            INSERT INTO webhook_deliveries (tenant_id, event_name, dedup_key, record_id, body, signature_ok)
            SELECT d.tenant_id, d.event_name, d.dedup_key, d.record_id, d.body, d.signature_ok FROM decided d ORDER BY d.n
            RETURNING id
        ), woke AS MATERIALIZED (
            SELECT pg_notify($19, '') FROM (SELECT 1 FROM job WHERE job.state = 'available' LIMIT 1) j
        )
        SELECT d.n, d.record_id, coalesce(d.status_key, '') AS status_key, (j.id IS NOT NULL) AS job_inserted,
               (SELECT count(*) FROM delivery) AS deliveries, (SELECT count(*) FROM woke) AS woke
          FROM decided d LEFT JOIN job j ON j.dedup_key = d.dedup_key
        """
}
