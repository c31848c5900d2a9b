import Foundation
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
