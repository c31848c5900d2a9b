import Connector
import Foundation
import HTTPServer
import Postgres
import Queue

/// `/v1/tenants/{tenant}/records`, `/v1/records/{id}` and its replay: what was synced, why, and
/// every call and decision on the way. Another tenant's record is a 404 for a tenant token.
extension ControlPlane {
    func listRecords(_ request: Request) throws(HTTPError) -> Response {
        let caller = try authenticator.controlPlaneCaller(request)
        let id = try authenticator.tenant(request, for: caller)
        let query = try request.query()
        let filter = RecordQuery(
            tenant: id.rawValue,
            entity: try ControlPlane.choice(query, "entity", RecordEntity.self, choices: RecordEntity.allCases),
            status: try ControlPlane.choice(query, "status", RecordStatus.self, choices: RecordStatus.allCases),
            text: query["q"].map { String($0.prefix(200)) },
            before: try ControlPlane.cursor(query), limit: try ControlPlane.limit(query))
        _ = try existing(id)
        let page = try withDatabase { try records.list($0, filter) }
        return ControlPlane.json(.object([
            "records": .array(page.records.map(ControlPlane.document)),
            "next_cursor": page.nextCursor.map { .string(String($0)) } ?? .null,
        ]))
    }

    func getRecord(_ request: Request) throws(HTTPError) -> Response {
        let caller = try authenticator.controlPlaneCaller(request)
        let id = try ControlPlane.numericID(request, notFound: "record_not_found", "record")
        let found = try withDatabase { try records.recordWithAudit($0, id: id) }
        guard let (record, audit) = found, visible(record, to: caller) else { throw ControlPlane.recordNotFound }
        guard case .object(var doc) = ControlPlane.document(record) else { return Response(status: .internalServerError) }
        doc["audit"] = .array(audit.map(ControlPlane.document))
        return ControlPlane.json(.object(doc))
    }

    /// Runs the record's step again under its dedup key: an order's posting job (the event the
    /// tenant posts on), or a full sync of the record's entity for items and customers (the
    /// content hashes make the unchanged rest cheap). A live job with that key is answered as is.
    func replayRecord(_ request: Request) throws(HTTPError) -> Response {
        let caller = try authenticator.controlPlaneCaller(request)
        let id = try ControlPlane.numericID(request, notFound: "record_not_found", "record")
        let result: EnqueueResult = try withDatabase { conn in
            try conn.transaction { tx in
                guard let record = try records.record(tx, id: id), visible(record, to: caller) else { throw ControlPlane.recordNotFound }
                guard record.status != .posted else {
                    throw HTTPError(status: .conflict, code: "record_already_posted",
                                    message: "This order is already posted to GP; replaying it cannot post it again.")
                }
                let result = try queue.enqueue(tx, try replayJob(for: record))
                try records.appendAudit(tx, recordID: record.id, tenant: record.tenantID, .decision(
                    "replay_requested", "Replay requested by token \(caller.token.id)" + (result.inserted ? "." : "; a live job already held the key."),
                    jobID: result.job.id))
                return result
            }
        }
        logger.info("record replayed", metadata: ["record": "\(id)", "job": "\(result.job.id)", "token": "\(caller.token.id)"])
        return ControlPlane.accepted(result)
    }

    func replayJob(for record: SyncRecord) throws -> EnqueueRequest {
        switch record.entity {
        case .order, .invoice:
            let trigger = TenantID(record.tenantID).map(postingTrigger) ?? .invoiceCaptured
            let run = OrderPostingRun.Request(incrementId: record.sourceKey,
                                              event: trigger == .orderPlaced ? .orderPlaced : .invoiceCaptured,
                                              arrivedVia: record.arrivedVia)
            return EnqueueRequest(kind: ConnectorJobs.postingKind(trigger), tenantID: record.tenantID,
                                  payload: String(decoding: try JSONEncoder().encode(run), as: UTF8.self),
                                  dedupKey: OrderPosting.dedupKey(tenant: record.tenantID, incrementId: record.sourceKey))
        case .item, .customer:
            let entity: SyncEntity = record.entity == .item ? .items : .customers
            return EnqueueRequest(kind: entity.kind, tenantID: record.tenantID, payload: entity.payload(mode: .full),
                                  dedupKey: SyncEntity.dedupKey(tenant: record.tenantID, entity))
        }
    }

    func visible(_ record: SyncRecord, to caller: Caller) -> Bool {
        TenantID(record.tenantID).map(caller.canSee) ?? caller.isAdmin
    }

    static let recordNotFound = HTTPError(status: .notFound, code: "record_not_found", message: "No record with this id.")

    static func document(_ record: SyncRecord) -> DocumentValue {
        .object([
            "id": .number(Double(record.id)),
            "tenant": .string(record.tenantID),
            "entity": .string(record.entity.rawValue),
            "source_key": .string(record.sourceKey),
            "target_key": record.targetKey.map { .string($0) } ?? .null,
            "status": .string(record.status.rawValue),
            "arrived_via": .string(record.arrivedVia.rawValue),
            "match_key": record.matchKey.map { .string($0) } ?? .null,
            "events": .array(record.events.map { .string($0) }),
            "last_error": record.lastError.map { e in
                .object(["code": .string(e.code), "message": .string(e.message), "fix": e.fix.map { .string($0) } ?? .null])
            } ?? .null,
            "attempts": .number(Double(record.attempts)),
            "created_at": timestamp(record.createdAt),
            "updated_at": timestamp(record.updatedAt),
        ])
    }

    static func document(_ event: AuditEvent) -> DocumentValue {
        func text(_ s: String?) -> DocumentValue { s.map { .string($0) } ?? .null }
        func int(_ n: Int?) -> DocumentValue { n.map { .number(Double($0)) } ?? .null }
        return .object([
            "id": .number(Double(event.id)),
            "kind": .string(event.kind.rawValue),
            "code": .string(event.code),
            "message": .string(event.message),
            "method": text(event.method), "url": text(event.url), "status": int(event.status),
            "duration_ms": int(event.durationMs),
            "request_body": text(event.requestBody), "response_body": text(event.responseBody),
            "job_id": event.jobID.map { .number(Double($0)) } ?? .null,
            "at": timestamp(event.at),
        ])
    }
}
