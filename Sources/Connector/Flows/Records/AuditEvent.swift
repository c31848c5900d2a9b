import Foundation
import Postgres

/// One entry of a record's audit trail: an outbound call or a decision.
public struct AuditEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable { case call, decision }

    public var id: Int64
    public var recordID: Int64
    public var kind: Kind
    /// Decisions: a stable code (`skipped_unchanged`, `matched_by_email`, `parked`). Calls: the system (`gp`, `commerce`).
    public var code: String
    public var message: String
    public var method: String?
    public var url: String?
    public var status: Int?
    public var durationMs: Int?
    public var requestBody: String?
    public var responseBody: String?
    public var jobID: Int64?
    public var at: Date

    init(row: Row) throws {
        id = try row.decode("id")
        recordID = try row.decode("record_id")
        guard let kind = Kind(rawValue: try row.decode("kind")) else {
            throw PostgresError(.decodingFailed, "audit_events row has an unknown kind")
        }
        self.kind = kind
        code = try row.decode("code")
        message = try row.decode("message")
        method = try row.decode("method")
        url = try row.decode("url")
        status = try row.decode("status")
        durationMs = try row.decode("duration_ms")
        requestBody = try row.decode("request_body")
        responseBody = try row.decode("response_body")
        jobID = try row.decode("job_id")
        at = try row.decode("at")
    }
}

/// What to append to a record's trail. Bodies and URL are redacted and capped by the store, so a
/// caller can hand over exactly what went over the wire.
public struct AuditEntry: Sendable, Equatable {
    public var kind: AuditEvent.Kind
    public var code: String
    public var message: String
    public var method: String?
    public var url: String?
    public var status: Int?
    public var durationMs: Int?
    public var requestBody: String?
    public var responseBody: String?
    public var jobID: Int64?

    /// A decision: `code` is stable (`skipped_unchanged`), `message` a plain sentence.
    public static func decision(_ code: String, _ message: String, jobID: Int64? = nil) -> AuditEntry {
        AuditEntry(kind: .decision, code: code, message: message, jobID: jobID)
    }

    /// An outbound call to `system` (`gp`, `commerce`).
    public static func call(_ system: String, method: String, url: String, status: Int?, durationMs: Int,
                            requestBody: String? = nil, responseBody: String? = nil, message: String = "",
                            jobID: Int64? = nil) -> AuditEntry {
        AuditEntry(kind: .call, code: system, message: message, method: method, url: url, status: status,
                   durationMs: durationMs, requestBody: requestBody, responseBody: responseBody, jobID: jobID)
    }

    public init(kind: AuditEvent.Kind, code: String, message: String, method: String? = nil, url: String? = nil,
                status: Int? = nil, durationMs: Int? = nil, requestBody: String? = nil, responseBody: String? = nil,
                jobID: Int64? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.method = method
        self.url = url
        self.status = status
        self.durationMs = durationMs
        self.requestBody = requestBody
        self.responseBody = responseBody
        self.jobID = jobID
    }
}

/// The API's JSON shape of an audit event (snake_case keys).
extension AuditEvent: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, recordID = "record_id", kind, code, message, method, url, status, durationMs = "duration_ms"
        case requestBody = "request_body", responseBody = "response_body", jobID = "job_id", at
    }
}
