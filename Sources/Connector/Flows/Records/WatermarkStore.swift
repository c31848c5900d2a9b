import Foundation
import Postgres

/// Reads and advances watermarks. A watermark only moves forward: advancing to an older value
/// (a slow job finishing after a faster one) changes nothing and answers false.
public struct WatermarkStore: Sendable {
    public init() {}

    public func watermark(_ conn: Connection, tenant: String, entity: String) throws -> Watermark? {
        try conn.query("SELECT * FROM watermarks WHERE tenant_id = $1 AND entity = $2", tenant, entity)
            .first.map(Watermark.init(row:))
    }

    /// Moves the watermark to `value` if that is later than the stored one. True when it moved.
    @discardableResult
    public func advance(_ conn: Connection, tenant: String, entity: String, to value: Date) throws -> Bool {
        try conn.execute("""
            INSERT INTO watermarks AS w (tenant_id, entity, value_at) VALUES ($1, $2, $3)
            ON CONFLICT (tenant_id, entity) DO UPDATE SET value_at = EXCLUDED.value_at, updated_at = now()
            WHERE w.value_at IS NULL OR w.value_at < EXCLUDED.value_at
            """, tenant, entity, value) == 1
    }

    /// The same for a text watermark, compared byte-wise (`COLLATE "C"`): only for values that
    /// sort as text, such as `YYYY-MM-DD HH:MM:SS`.
    @discardableResult
    public func advance(_ conn: Connection, tenant: String, entity: String, toText value: String) throws -> Bool {
        try conn.execute("""
            INSERT INTO watermarks AS w (tenant_id, entity, value_text) VALUES ($1, $2, $3)
            ON CONFLICT (tenant_id, entity) DO UPDATE SET value_text = EXCLUDED.value_text, updated_at = now()
            WHERE w.value_text IS NULL OR w.value_text COLLATE "C" < EXCLUDED.value_text COLLATE "C"
            """, tenant, entity, value) == 1
    }

    /// Forgets the watermark (the next incremental read is a full one).
    public func reset(_ conn: Connection, tenant: String, entity: String) throws {
        try conn.execute("DELETE FROM watermarks WHERE tenant_id = $1 AND entity = $2", tenant, entity)
    }
}
