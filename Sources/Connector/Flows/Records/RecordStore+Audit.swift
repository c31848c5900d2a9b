import Foundation
import Postgres

extension RecordStore {
    /// Appends to a record's trail; bodies, URL and message pass through `AuditRedaction` first.
    @discardableResult
    public func appendAudit(_ conn: Connection, recordID: Int64, tenant: String, _ entry: AuditEntry) throws -> Int64 {
        let rows = try conn.queryCached("""
            INSERT INTO audit_events (record_id, tenant_id, kind, code, message, method, url, status, duration_ms,
                                      request_body, response_body, job_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id
            """, [
                recordID.postgresValue, .text(tenant), .text(entry.kind.rawValue), .text(entry.code),
                .text(AuditRedaction.capped(AuditRedaction.redactText(entry.message), cap: auditBodyCap)),
                entry.method.map { .text($0) }, entry.url.map { .text(AuditRedaction.url($0)) },
                entry.status.map { Int32($0).postgresValue }, entry.durationMs.map { Int32(clamping: $0).postgresValue },
                AuditRedaction.body(entry.requestBody, cap: auditBodyCap).map { .text($0) },
                AuditRedaction.body(entry.responseBody, cap: auditBodyCap).map { .text($0) },
                entry.jobID?.postgresValue,
            ])
        return try rows[0].decode(0)
    }

    /// The record's trail, oldest first.
    public func auditTrail(_ conn: Connection, recordID: Int64, limit: Int = 500) throws -> [AuditEvent] {
        try conn.query("SELECT * FROM audit_events WHERE record_id = $1 ORDER BY id LIMIT $2", recordID, limit)
            .map(AuditEvent.init(row:))
    }

    /// One record with its trail (`GET /v1/records/{id}`).
    public func recordWithAudit(_ conn: Connection, id: Int64, auditLimit: Int = 500) throws -> (SyncRecord, [AuditEvent])? {
        guard let record = try record(conn, id: id) else { return nil }
        return (record, try auditTrail(conn, recordID: id, limit: auditLimit))
    }
}
