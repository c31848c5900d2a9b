import Foundation
import Postgres

/// The records ledger: one row per synced thing, with its status, last error and content hash,
/// plus its append-only audit trail.
///
/// Every method takes the caller's `Connection`, so a webhook can record a delivery, note the
/// record and enqueue its job in one transaction. Each state change is one guarded statement.
///
/// ```swift
/// let store = RecordStore()
/// let key = RecordKey(tenant: "acme", entity: .item, sourceKey: "WIDGET-1")
/// let result = try store.upsert(conn, key, status: .synced, targetKey: "WIDGET-1", contentHash: hash)
/// if !result.contentChanged { … }
/// ```
public struct RecordStore: Sendable {
    /// Cap for each audited request/response body, in UTF-8 bytes.
    public var auditBodyCap: Int

    public init(auditBodyCap: Int = AuditRedaction.defaultCap) {
        self.auditBodyCap = auditBodyCap
    }

    /// Creates or updates the record with this key and reports whether its content hash changed.
    ///
    /// nil arguments keep what is stored (`targetKey`, `contentHash`, `matchKey`); `arrivedVia`
    /// merges (webhook + poll = both); `event` is appended once; `error` replaces the last error
    /// (nil clears it). A record that is `posted` keeps that status whatever `status` says.
    public func upsert(_ conn: Connection, _ key: RecordKey, status: RecordStatus, targetKey: String? = nil,
                       contentHash: String? = nil, arrivedVia: ArrivalChannel? = nil, event: String? = nil,
                       matchKey: String? = nil, error: RecordError? = nil) throws -> RecordUpsert {
        let rows = try conn.queryCached(RecordSQL.upsert, [
            .text(key.tenantID), .text(key.entity.rawValue), .text(key.sourceKey), targetKey.map { .text($0) },
            contentHash.map { .text($0) }, .text(status.rawValue), arrivedVia.map { .text($0.rawValue) },
            event.map { .text($0) }, matchKey.map { .text($0) }, error.map { .text($0.code) },
            error.map { .text($0.message) }, error?.fix.map { .text($0) },
        ])
        guard let row = rows.first else { throw PostgresError(.queryFailed, "records upsert returned no row") }
        return RecordUpsert(record: try SyncRecord(row: row), inserted: try row.decode("inserted"),
                            contentChanged: try row.decode("content_changed"))
    }

    /// Notes that a webhook or a poll mentioned this record (and which event), creating it as
    /// `pending` if new; status, hash and error stay as they are.
    public func noteArrival(_ conn: Connection, _ key: RecordKey, via: ArrivalChannel, event: String? = nil) throws -> RecordUpsert {
        let rows = try conn.query(RecordSQL.noteArrival, [
            .text(key.tenantID), .text(key.entity.rawValue), .text(key.sourceKey), .text(via.rawValue), event.map { .text($0) },
        ])
        guard let row = rows.first else { throw PostgresError(.queryFailed, "records arrival returned no row") }
        return RecordUpsert(record: try SyncRecord(row: row), inserted: try row.decode("inserted"), contentChanged: false)
    }

    /// Moves a record to `status` if its current status allows it (`RecordStatus.canFollow`) and,
    /// when given, is one of `expecting`. Returns the updated record, or nil when the guard refused
    /// (or there is no such record). `countAttempt` adds one to `attempts`.
    public func transition(_ conn: Connection, id: Int64, to status: RecordStatus, error: RecordError? = nil,
                           targetKey: String? = nil, expecting: [RecordStatus]? = nil,
                           countAttempt: Bool = false) throws -> SyncRecord? {
        var allowed = status.allowedPrevious
        if let expecting { allowed = allowed.filter(expecting.contains) }
        let rows = try conn.query(RecordSQL.transition, [
            id.postgresValue, .text(status.rawValue), error.map { .text($0.code) }, error.map { .text($0.message) },
            error?.fix.map { .text($0) }, targetKey.map { .text($0) }, .array(allowed.map(\.rawValue)),
            countAttempt.postgresValue,
        ])
        return try rows.first.map(SyncRecord.init(row:))
    }

    public func record(_ conn: Connection, id: Int64) throws -> SyncRecord? {
        try conn.query("SELECT \(SyncRecord.columns) FROM records WHERE id = $1", id).first.map(SyncRecord.init(row:))
    }

    public func record(_ conn: Connection, _ key: RecordKey) throws -> SyncRecord? {
        try conn.query("SELECT \(SyncRecord.columns) FROM records WHERE tenant_id = $1 AND entity = $2 AND source_key = $3",
                       key.tenantID, key.entity.rawValue, key.sourceKey).first.map(SyncRecord.init(row:))
    }

    /// The record found by its match key (a customer's lower-cased e-mail); the newest if several.
    public func record(_ conn: Connection, tenant: String, entity: RecordEntity, matchKey: String) throws -> SyncRecord? {
        try conn.query("""
            SELECT \(SyncRecord.columns) FROM records
            WHERE tenant_id = $1 AND entity = $2 AND match_key = $3 ORDER BY id DESC LIMIT 1
            """, tenant, entity.rawValue, matchKey).first.map(SyncRecord.init(row:))
    }

    /// Hash, target and status of the given source keys in one query (keys without a record are
    /// absent): what a page of items needs to skip the unchanged ones.
    public func storedContent(_ conn: Connection, tenant: String, entity: RecordEntity,
                              sourceKeys: [String]) throws -> [String: StoredContent] {
        guard !sourceKeys.isEmpty else { return [:] }
        var out: [String: StoredContent] = [:]
        for row in try conn.query("""
            SELECT id, source_key, content_hash, target_key, status FROM records
            WHERE tenant_id = $1 AND entity = $2 AND source_key = ANY($3)
            """, [.text(tenant), .text(entity.rawValue), .array(sourceKeys)]) {
            guard let status = RecordStatus(rawValue: try row.decode("status")) else { continue }
            out[try row.decode("source_key")] = StoredContent(
                id: try row.decode("id"), contentHash: try row.decode("content_hash"),
                targetKey: try row.decode("target_key"), status: status)
        }
        return out
    }

    /// Orders first seen by the backstop poll (never by a webhook) since `since`.
    public func countArrivedOnlyByPoll(_ conn: Connection, tenant: String, since: Date) throws -> Int {
        try conn.query("""
            SELECT count(*) FROM records
            WHERE tenant_id = $1 AND entity = 'order' AND arrived_via = 'poll' AND created_at >= $2
            """, tenant, since)[0].decode(0)
    }
}
