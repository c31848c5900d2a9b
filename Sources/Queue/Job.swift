import Foundation
import Postgres

/// A claimed job as a handler sees it.
public struct Job: Sendable {
    public let id: Int64
    public let tenantID: String
    public let kind: String
    /// The payload as JSON text (jsonb as PostgreSQL prints it).
    public let payload: String
    /// 1 for the first run; the fencing token of this run together with the owner.
    public let attempt: Int
    public let maxAttempts: Int
    public let usesGP: Bool
    public let priority: Int
    public let createdAt: Date
    /// When this attempt was claimed (database clock).
    public let claimedAt: Date

    /// Decodes the JSON payload.
    public func decodePayload<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        do { return try JSONDecoder().decode(type, from: Data(payload.utf8)) } catch {
            throw JobFailure.permanent("payload of job \(id) (\(kind)) is not a valid \(type): \(error)")
        }
    }
}

extension Job {
    /// Columns in the order `QueueSQL.claim` returns them (read by index: this is the hot path).
    init(claimRow row: Row) throws {
        id = try row.decode(0)
        tenantID = try row.decode(1)
        kind = try row.decode(2)
        attempt = try row.decode(3)
        maxAttempts = try row.decode(4)
        usesGP = try row.decode(5)
        payload = try row.decode(6)
        createdAt = try row.decode(7)
        priority = try row.decode(8)
        claimedAt = try row.decode(9)
    }
}
