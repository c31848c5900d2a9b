import Foundation
import GP
import Postgres

/// The last change fully processed for one tenant and entity: a timestamp (GP modified date,
/// Commerce updated_at) or an opaque text when a source has no time.
public struct Watermark: Sendable, Equatable {
    public var tenantID: String
    public var entity: String
    public var value: Date?
    public var text: String?
    public var updatedAt: Date

    init(row: Row) throws {
        tenantID = try row.decode("tenant_id")
        entity = try row.decode("entity")
        value = try row.decode("value_at")
        text = try row.decode("value_text")
        updatedAt = try row.decode("updated_at")
    }
}

/// Where the next incremental read starts. GP's modified dates carry no time (a change at 23:59
/// has the same date as one at 00:01), so a read restarts on the watermark's day minus an overlap
/// and relies on content hashes to make the re-read cheap; Commerce's `updated_at` has seconds
/// but clocks and commit order drift, so it re-reads a few minutes.
public enum WatermarkOverlap {
    /// The GP day to pass as `modifiedSince` when the GP client adds its own overlap
    /// (`GPSettings.modifiedOverlapDays`): simply the watermark's UTC day.
    public static func gpModifiedSince(_ watermark: Date?) -> GPDate? {
        watermark.map(GPDate.init)
    }

    /// The first GP day to re-read when the caller filters itself: watermark day − `overlapDays`.
    public static func gpReadFrom(_ watermark: Date?, overlapDays: Int) -> GPDate? {
        watermark.map { GPDate($0).adding(days: -max(0, overlapDays)) }
    }

    /// The watermark to store after a GP read: midnight UTC of the newest modified date seen.
    public static func gpWatermark(newestModified: GPDate) -> Date {
        newestModified.date
    }

    /// Commerce `updated_at` lower bound: the watermark minus `overlapSeconds` (default 5 minutes).
    public static func commerceReadFrom(_ watermark: Date?, overlapSeconds: TimeInterval = 300) -> Date? {
        watermark.map { $0.addingTimeInterval(-max(0, overlapSeconds)) }
    }
}

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
