import Connector
import Foundation
import HTTPServer
import Postgres
import Queue

/// `POST /v1/tenants/{tenant}/syncs`: start a sync now. One live sync per tenant and entity
/// (dedup key `sync:<tenant>:<entity>`): asking again while one is queued or running answers
/// that job with `"deduplicated": true`.
extension ControlPlane {
    /// What can be synced on demand, and the job that does it.
    enum SyncEntity: String, CaseIterable {
        case items, customers, orders, invoices

        var kind: String {
            switch self {
            case .items: "sync_items"
            case .customers: "sync_customers"
            case .orders, .invoices: "poll_orders"
            }
        }

        func payload(mode: SyncMode) -> String {
            switch self {
            case .items, .customers: #"{"mode":"\#(mode.rawValue)"}"#
            case .orders, .invoices: #"{"entity":"\#(rawValue)","mode":"\#(mode.rawValue)"}"#
            }
        }

        static func dedupKey(tenant: String, _ entity: SyncEntity) -> String { "sync:\(tenant):\(entity.rawValue)" }
    }

    func startSync(_ request: Request) throws(HTTPError) -> Response {
        let caller = try authenticator.controlPlaneCaller(request)
        let id = try authenticator.tenant(request, for: caller)
        let (entity, mode) = try syncRequest(try document(request))
        _ = try existing(id)
        let result = try withDatabase { conn in
            try queue.enqueue(conn, EnqueueRequest(kind: entity.kind, tenantID: id.rawValue, payload: entity.payload(mode: mode),
                                                   dedupKey: SyncEntity.dedupKey(tenant: id.rawValue, entity)))
        }
        logger.info("sync requested", metadata: ["tenant": "\(id)", "entity": "\(entity.rawValue)", "job": "\(result.job.id)",
                                                 "deduplicated": "\(!result.inserted)", "token": "\(caller.token.id)"])
        return ControlPlane.accepted(result)
    }

    func syncRequest(_ body: DocumentValue) throws(HTTPError) -> (SyncEntity, SyncMode) {
        guard case .object(let fields) = body else {
            throw HTTPError.badRequest("validation_failed", "Expected a JSON object.", details: ["field": "(body)"])
        }
        for key in fields.keys.sorted() where !["entity", "mode"].contains(key) {
            throw ControlPlane.invalidField(key, "unknown_field", "Unknown field.")
        }
        guard case .string(let e)? = fields["entity"], let entity = SyncEntity(rawValue: e) else {
            throw ControlPlane.invalidField("entity", fields["entity"] == nil ? "required" : "invalid_choice",
                                            "Must be one of: items, customers, orders, invoices.")
        }
        var mode = SyncMode.incremental
        if let value = fields["mode"], value != .null {
            guard case .string(let m) = value, let parsed = SyncMode(rawValue: m) else {
                throw ControlPlane.invalidField("mode", "invalid_choice", "Must be one of: incremental, full.")
            }
            mode = parsed
        }
        return (entity, mode)
    }

    /// 202 with the job an enqueue produced or found: `{"job": {...}, "deduplicated": bool}`.
    static func accepted(_ result: EnqueueResult) -> Response {
        var response = json(.object(["job": document(result.job), "deduplicated": .bool(!result.inserted)]), status: .accepted)
        response.headers.set("Location", "/v1/jobs/\(result.job.id)")
        return response
    }

    static func invalidField(_ field: String, _ code: String, _ message: String) -> HTTPError {
        .badRequest("validation_failed", "Invalid field \(field): \(message)", details: ["field": .string(field), "fields": .array([
            .object(["field": .string(field), "code": .string(code), "message": .string(message)])])])
    }
}
