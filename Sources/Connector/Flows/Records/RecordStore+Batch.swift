import Postgres

/// One written record of a batch: what `recordWritten` stores and the decision it audits.
public struct WrittenRecord: Sendable, Equatable {
    public var sourceKey: String
    public var targetKey: String
    public var contentHash: String
    public var auditCode: String
    public var auditMessage: String

    public init(sourceKey: String, targetKey: String, contentHash: String, auditCode: String, auditMessage: String) {
        self.sourceKey = sourceKey
        self.targetKey = targetKey
        self.contentHash = contentHash
        self.auditCode = auditCode
        self.auditMessage = auditMessage
    }
}

extension RecordStore {
    /// Records a page of successful writes in ONE statement: each record upserted as `synced` with
    /// its target key and hash (errors cleared, a `posted` record left posted, as `upsert` does)
    /// plus its decision in the audit trail. Two statements per item made PostgreSQL the largest
    /// cost of an item sync (about 1.2 ms of server CPU per item).
    ///
    /// Source keys must be distinct (PostgreSQL refuses to update one row twice in a statement);
    /// a batch with repeats is recorded row by row instead.
    public func recordWritten(_ conn: Connection, tenant: String, entity: RecordEntity, _ rows: [WrittenRecord],
                              jobID: Int64?) throws {
        guard !rows.isEmpty else { return }
        guard Set(rows.map(\.sourceKey)).count == rows.count else {
            for row in rows {
                let result = try upsert(conn, RecordKey(tenant: tenant, entity: entity, sourceKey: row.sourceKey), status: .synced,
                                        targetKey: row.targetKey, contentHash: row.contentHash)
                try appendAudit(conn, recordID: result.record.id, tenant: tenant,
                                .decision(row.auditCode, row.auditMessage, jobID: jobID))
            }
            return
        }
        _ = try conn.queryCached("""
            WITH input AS (
                SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
                    AS i(source_key, target_key, content_hash, code, message)
            ), up AS (
                INSERT INTO records AS r (tenant_id, entity, source_key, target_key, content_hash, status, arrived_via, events)
                SELECT $1, $2, source_key, target_key, content_hash, 'synced', 'poll', '{}'::text[] FROM input
                ON CONFLICT (tenant_id, entity, source_key) DO UPDATE SET
                    target_key = EXCLUDED.target_key,
                    content_hash = EXCLUDED.content_hash,
                    status = CASE WHEN r.status = 'posted' THEN 'posted' ELSE EXCLUDED.status END,
                    last_error_code = NULL, last_error_message = NULL, last_error_fix = NULL,
                    updated_at = now()
                RETURNING r.id, r.source_key
            )
            INSERT INTO audit_events (record_id, tenant_id, kind, code, message, job_id)
            SELECT up.id, $1, 'decision', i.code, i.message, $8 FROM up JOIN input i USING (source_key)
            """, [
                .text(tenant), .text(entity.rawValue), .array(rows.map(\.sourceKey)), .array(rows.map(\.targetKey)),
                .array(rows.map(\.contentHash)), .array(rows.map(\.auditCode)),
                .array(rows.map { AuditRedaction.capped(AuditRedaction.redactText($0.auditMessage), cap: auditBodyCap) }),
                jobID?.postgresValue,
            ])
    }
}
