import Foundation
import GP
import Postgres
import Synchronization

/// Collects the outbound calls of one step (from whichever thread made them) so they can be
/// written to the record's audit trail afterwards, redacted and capped by `RecordStore`.
///
/// ```swift
/// let log = CallLog()
/// let gp = GPClient(company: company, settings: s, transport: t, tenant: id, onCall: log.gpObserver)
/// let outcome = try OrderPostingRun(…, poster: GPReceivablesPoster(client: gp)).run(conn, request)
/// try log.flush(conn, store: records, recordID: record.id, tenant: id, jobID: job.id)
/// ```
public final class CallLog: Sendable {
    private let entries = Mutex<[AuditEntry]>([])

    public init() {}

    /// Pass as `GPClient(onCall:)`.
    public var gpObserver: @Sendable (GPCallRecord) -> Void {
        { [self] call in record(Self.entry(call)) }
    }

    public func record(_ entry: AuditEntry) {
        entries.withLock { $0.append(entry) }
    }

    /// The calls collected so far, oldest first.
    public var collected: [AuditEntry] { entries.withLock { $0 } }

    /// Appends every collected call to the record's trail and empties the log.
    public func flush(_ conn: Connection, store: RecordStore, recordID: Int64, tenant: String, jobID: Int64? = nil) throws {
        let pending = entries.withLock { e -> [AuditEntry] in
            defer { e.removeAll() }
            return e
        }
        for var entry in pending {
            entry.jobID = entry.jobID ?? jobID
            try store.appendAudit(conn, recordID: recordID, tenant: tenant, entry)
        }
    }

    static func entry(_ call: GPCallRecord) -> AuditEntry {
        func text(_ data: Data?) -> String? { data.map { String(decoding: $0, as: UTF8.self) } }
        return .call("gp", method: call.method, url: call.url, status: call.status, durationMs: Int(call.duration * 1000),
                     requestBody: text(call.requestBody), responseBody: text(call.responseBody), message: call.errorCode ?? "")
    }
}
