import Foundation
import Postgres

/// One webhook delivery as received: the raw bytes (what the signature covered), whether the
/// signature verified, and the record it concerned.
public struct WebhookDelivery: Sendable, Equatable {
    public var id: Int64
    public var tenantID: String
    public var eventName: String
    public var dedupKey: String?
    public var recordID: Int64?
    public var body: [UInt8]
    public var signatureOK: Bool
    public var receivedAt: Date

    init(row: Row) throws {
        id = try row.decode("id")
        tenantID = try row.decode("tenant_id")
        eventName = try row.decode("event_name")
        dedupKey = try row.decode("dedup_key")
        recordID = try row.decode("record_id")
        body = try row.decode("body")
        signatureOK = try row.decode("signature_ok")
        receivedAt = try row.decode("received_at")
    }
}

/// Keeps every webhook delivery for audit (and replay from the original bytes). Rows with a bad
/// signature are kept too, so a misconfigured key is visible; the receiver decides what to store.
public struct WebhookDeliveryStore: Sendable {
    public init() {}

    @discardableResult
    public func insert(_ conn: Connection, tenant: String, eventName: String, dedupKey: String?, body: [UInt8],
                       signatureOK: Bool, recordID: Int64? = nil) throws -> Int64 {
        try conn.query("""
            INSERT INTO webhook_deliveries (tenant_id, event_name, dedup_key, record_id, body, signature_ok)
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
            """, [.text(tenant), .text(eventName), dedupKey.map { .text($0) }, recordID?.postgresValue,
                  .bytea(body), signatureOK.postgresValue])[0].decode(0)
    }

    /// The tenant's deliveries, newest first, `before` an id (cursor).
    public func list(_ conn: Connection, tenant: String, before: Int64? = nil, limit: Int = 50) throws -> [WebhookDelivery] {
        try conn.query("""
            SELECT * FROM webhook_deliveries WHERE tenant_id = $1 AND ($2::bigint IS NULL OR id < $2)
            ORDER BY id DESC LIMIT $3
            """, [.text(tenant), before?.postgresValue, min(max(limit, 1), 500).postgresValue])
            .map(WebhookDelivery.init(row:))
    }

    /// Deletes deliveries received before `cutoff`, at most `batch` at a time; returns how many.
    @discardableResult
    public func prune(_ conn: Connection, receivedBefore cutoff: Date, batch: Int = 1000) throws -> Int {
        try conn.execute("""
            DELETE FROM webhook_deliveries WHERE id IN (
                SELECT id FROM webhook_deliveries WHERE received_at < $1 ORDER BY received_at LIMIT $2)
            """, cutoff, batch)
    }
}
