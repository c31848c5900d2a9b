/// The statements of `RecordStore` that are too long to read inline.
enum RecordSQL {
    /// $1 tenant, $2 entity, $3 source key, $4 target key?, $5 hash?, $6 status, $7 arrived via?,
    /// $8 event?, $9 match key?, $10–$12 error code/message/fix?.
    /// `old` reads the previous hash from the statement's snapshot so the answer can say whether
    /// it changed. No FOR UPDATE there: the row is updated by this same statement, and a row
    /// locked after its own command updated it reads as absent.
    static let upsert = """
        WITH old AS (
            SELECT content_hash FROM records WHERE tenant_id = $1 AND entity = $2 AND source_key = $3
        ), up AS (
            INSERT INTO records AS r (tenant_id, entity, source_key, target_key, content_hash, status, arrived_via,
                                      events, match_key, last_error_code, last_error_message, last_error_fix)
            VALUES ($1, $2, $3, $4, $5, $6, coalesce($7::text, 'poll'),
                    CASE WHEN $8::text IS NULL THEN '{}'::text[] ELSE ARRAY[$8::text] END, $9,
                    $10, $11, $12)
            ON CONFLICT (tenant_id, entity, source_key) DO UPDATE SET
                target_key = coalesce(EXCLUDED.target_key, r.target_key),
                content_hash = coalesce(EXCLUDED.content_hash, r.content_hash),
                status = CASE WHEN r.status = 'posted' THEN 'posted' ELSE EXCLUDED.status END,
                arrived_via = CASE WHEN $7::text IS NULL OR r.arrived_via = $7::text THEN r.arrived_via ELSE 'both' END,
                events = CASE WHEN $8::text IS NULL OR $8::text = ANY(r.events) THEN r.events ELSE r.events || $8::text END,
                match_key = coalesce(EXCLUDED.match_key, r.match_key),
                last_error_code = EXCLUDED.last_error_code,
                last_error_message = EXCLUDED.last_error_message,
                last_error_fix = EXCLUDED.last_error_fix,
                updated_at = now()
            RETURNING r.*, (xmax = 0) AS inserted
        )
        SELECT up.*, (up.content_hash IS NOT NULL AND up.content_hash IS DISTINCT FROM (SELECT content_hash FROM old))
               AS content_changed
        FROM up
        """

    /// $1 tenant, $2 entity, $3 source key, $4 channel, $5 event?.
    static let noteArrival = """
        INSERT INTO records AS r (tenant_id, entity, source_key, arrived_via, events)
        VALUES ($1, $2, $3, $4, CASE WHEN $5::text IS NULL THEN '{}'::text[] ELSE ARRAY[$5::text] END)
        ON CONFLICT (tenant_id, entity, source_key) DO UPDATE SET
            arrived_via = CASE WHEN r.arrived_via = EXCLUDED.arrived_via THEN r.arrived_via ELSE 'both' END,
            events = CASE WHEN $5::text IS NULL OR $5::text = ANY(r.events) THEN r.events ELSE r.events || $5::text END,
            updated_at = now()
        RETURNING r.*, (xmax = 0) AS inserted
        """

    /// $1 id, $2 status, $3–$5 error?, $6 target key?, $7 allowed previous statuses, $8 count attempt.
    static let transition = """
        UPDATE records SET status = $2, last_error_code = $3, last_error_message = $4, last_error_fix = $5,
               target_key = coalesce($6, target_key),
               attempts = attempts + CASE WHEN $8::bool THEN 1 ELSE 0 END, updated_at = now()
        WHERE id = $1 AND status = ANY($7::text[])
        RETURNING *
        """
}
