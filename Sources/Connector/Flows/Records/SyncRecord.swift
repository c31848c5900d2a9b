import Foundation
import Postgres

/// One row of `records`: one synced thing of one tenant, keyed by (tenant, entity, source key).
public struct SyncRecord: Sendable, Equatable {
    public var id: Int64
    public var tenantID: String
    public var entity: RecordEntity
    /// GP item number, GP customer id, or Commerce order increment id.
    public var sourceKey: String
    /// SKU, Commerce customer id, or GP document number, once known.
    public var targetKey: String?
    public var contentHash: String?
    public var status: RecordStatus
    public var arrivedVia: ArrivalChannel
    /// A second key to find the record by (a customer's lower-cased e-mail).
    public var matchKey: String?
    /// Commerce events seen for an order (`order_placed`, `invoice_captured`), in arrival order.
    public var events: [String]
    public var lastError: RecordError?
    public var attempts: Int
    public var createdAt: Date
    public var updatedAt: Date

    static let columns = """
        id, tenant_id, entity, source_key, target_key, content_hash, status, arrived_via, match_key, events,
        last_error_code, last_error_message, last_error_fix, attempts, created_at, updated_at
        """

    init(row: Row) throws {
        id = try row.decode("id")
        tenantID = try row.decode("tenant_id")
        guard let entity = RecordEntity(rawValue: try row.decode("entity")),
              let status = RecordStatus(rawValue: try row.decode("status")),
              let via = ArrivalChannel(rawValue: try row.decode("arrived_via")) else {
            throw PostgresError(.decodingFailed, "records row holds an unknown entity, status or arrival channel")
        }
        self.entity = entity
        self.status = status
        arrivedVia = via
        sourceKey = try row.decode("source_key")
        targetKey = try row.decode("target_key")
        contentHash = try row.decode("content_hash")
        matchKey = try row.decode("match_key")
        events = try row["events"].textArray().compactMap { $0 }
        if let code: String = try row.decode("last_error_code") {
            lastError = RecordError(code: code, message: try row.decode("last_error_message") ?? "",
                                    fix: try row.decode("last_error_fix"))
        }
        attempts = try row.decode("attempts")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }
}

/// (tenant, entity, source key): the dedup ledger's key.
public struct RecordKey: Sendable, Hashable {
    public var tenantID: String
    public var entity: RecordEntity
    public var sourceKey: String

    public init(tenant: String, entity: RecordEntity, sourceKey: String) {
        self.tenantID = tenant
        self.entity = entity
        self.sourceKey = sourceKey
    }
}

/// What an upsert did.
public struct RecordUpsert: Sendable, Equatable {
    public var record: SyncRecord
    public var inserted: Bool
    /// The stored content hash differs from the one before (always true for a new record with a hash).
    public var contentChanged: Bool
}

/// The stored hash and target of one record, for skipping unchanged items of a page in one query.
public struct StoredContent: Sendable, Equatable {
    public var id: Int64
    public var contentHash: String?
    public var targetKey: String?
    public var status: RecordStatus
}

/// The API's JSON shape of a record and its trail (snake_case keys; dates follow the encoder's
/// `dateEncodingStrategy`, ISO 8601 in the control plane).
extension SyncRecord: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, tenantID = "tenant_id", entity, sourceKey = "source_key", targetKey = "target_key"
        case contentHash = "content_hash", status, arrivedVia = "arrived_via", matchKey = "match_key", events
        case lastError = "last_error", attempts, createdAt = "created_at", updatedAt = "updated_at"
    }
}
