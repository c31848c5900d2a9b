import Foundation
import Postgres

/// A filter for listing one tenant's records, newest first.
public struct RecordQuery: Sendable, Equatable {
    public var tenantID: String
    public var entity: RecordEntity?
    public var status: RecordStatus?
    /// Substring of the source key, target key or match key (case-insensitive).
    public var text: String?
    /// Cursor: list records with a smaller id than this (the previous page's `nextCursor`).
    public var before: Int64?
    public var limit: Int

    public init(tenant: String, entity: RecordEntity? = nil, status: RecordStatus? = nil, text: String? = nil,
                before: Int64? = nil, limit: Int = 50) {
        self.tenantID = tenant
        self.entity = entity
        self.status = status
        self.text = text
        self.before = before
        self.limit = limit
    }
}

public struct RecordPage: Sendable, Equatable {
    public var records: [SyncRecord]
    /// Pass as `before` for the next page; nil on the last page.
    public var nextCursor: Int64?
}

extension RecordStore {
    /// `GET /v1/tenants/{tenant}/records?entity=&status=&q=`: keyset pagination on id, so a page
    /// costs the same however deep it is and new records never shift later pages.
    public func list(_ conn: Connection, _ query: RecordQuery) throws -> RecordPage {
        let limit = min(max(query.limit, 1), 500)
        let pattern = query.text.flatMap { $0.isEmpty ? nil : "%" + Self.escapeLike($0) + "%" }
        let rows = try conn.query("""
            SELECT \(SyncRecord.columns) FROM records
            WHERE tenant_id = $1
              AND ($2::text IS NULL OR entity = $2)
              AND ($3::text IS NULL OR status = $3)
              AND ($4::text IS NULL OR source_key ILIKE $4 ESCAPE '\\' OR target_key ILIKE $4 ESCAPE '\\'
                   OR match_key ILIKE $4 ESCAPE '\\')
              AND ($5::bigint IS NULL OR id < $5)
            ORDER BY id DESC
            LIMIT $6
            """, [
                .text(query.tenantID), query.entity.map { .text($0.rawValue) }, query.status.map { .text($0.rawValue) },
                pattern.map { .text($0) }, query.before?.postgresValue, (limit + 1).postgresValue,
            ])
        var records = try rows.map(SyncRecord.init(row:))
        var next: Int64?
        if records.count > limit {
            records.removeLast()
            next = records.last?.id
        }
        return RecordPage(records: records, nextCursor: next)
    }

    static func escapeLike(_ s: String) -> String {
        var out = ""
        for ch in s {
            if ch == "%" || ch == "_" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}
