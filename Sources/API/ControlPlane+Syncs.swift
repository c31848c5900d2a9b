import Connector
import Foundation
import HTTPServer
import Postgres
import Queue

/// `POST /v1/tenants/{tenant}/syncs`: start a sync now. One live sync per tenant and entity
/// (dedup key `sync:<tenant>:<entity>`): asking again while one is queued or running answers
/// that job with `"deduplicated": true`.
///
/// `orders` and `invoices` run the backstop (`poll_orders`) on that one Commerce list:
/// `incremental` from its watermark, `full` over the tenant's window
/// (`posting.backstop_full_lookback_days`) or from `since` (a date or date-time inside it).
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

        func payload(mode: SyncMode, since: Date? = nil) -> String {
            switch self {
            case .items, .customers: return #"{"mode":"\#(mode.rawValue)"}"#
            case .orders, .invoices:
                let request = PollRequest(entity: OrderBackstop.Entity(rawValue: rawValue), mode: mode, since: since)
                return (try? String(decoding: ControlPlane.payloadEncoder.encode(request), as: UTF8.self))
                    ?? #"{"entity":"\#(rawValue)","mode":"\#(mode.rawValue)"}"#
            }
        }

        static func dedupKey(tenant: String, _ entity: SyncEntity) -> String { "sync:\(tenant):\(entity.rawValue)" }
    }

    func startSync(_ request: Request) throws(HTTPError) -> Response {
        let caller = try authenticator.controlPlaneCaller(request)
        let id = try authenticator.tenant(request, for: caller)
        let (entity, mode, since) = try syncRequest(try document(request))
        let tenant = try existing(id)
        if let since { try Self.checkWindow(since, tenant: tenant) }
        let result = try withDatabase { conn in
            try queue.enqueue(conn, EnqueueRequest(kind: entity.kind, tenantID: id.rawValue, payload: entity.payload(mode: mode, since: since),
                                                   dedupKey: SyncEntity.dedupKey(tenant: id.rawValue, entity)))
        }
        logger.info("sync requested", metadata: ["tenant": "\(id)", "entity": "\(entity.rawValue)", "job": "\(result.job.id)",
                                                 "deduplicated": "\(!result.inserted)", "token": "\(caller.token.id)"])
        return ControlPlane.accepted(result)
    }

    static let payloadEncoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return e
    }()

    func syncRequest(_ body: DocumentValue) throws(HTTPError) -> (SyncEntity, SyncMode, Date?) {
        guard case .object(let fields) = body else {
            throw HTTPError.badRequest("validation_failed", "Expected a JSON object.", details: ["field": "(body)"])
        }
        for key in fields.keys.sorted() where !["entity", "mode", "since"].contains(key) {
            throw ControlPlane.invalidField(key, "unknown_field", "Unknown field.")
        }
        guard case .string(let e)? = fields["entity"], let entity = SyncEntity(rawValue: e) else {
            throw ControlPlane.invalidField("entity", fields["entity"] == nil ? "required" : "invalid_choice",
                                            "Must be one of: items, customers, orders, invoices.")
        }
        var mode: SyncMode?
        if let value = fields["mode"], value != .null {
            guard case .string(let m) = value, let parsed = SyncMode(rawValue: m) else {
                throw ControlPlane.invalidField("mode", "invalid_choice", "Must be one of: incremental, full.")
            }
            mode = parsed
        }
        var since: Date?
        if let value = fields["since"], value != .null {
            guard entity == .orders || entity == .invoices else {
                throw ControlPlane.invalidField("since", "not_supported", "Only orders and invoices syncs take since; items and customers use mode full.")
            }
            guard case .string(let text) = value, let parsed = PollRequest.parseSince(text) else {
                throw ControlPlane.invalidField("since", "invalid_format",
                                                "Must be a date (2026-11-01) or an ISO 8601 date-time with a zone (2026-11-01T08:00:00Z).")
            }
            guard mode != .incremental else {
                throw ControlPlane.invalidField("since", "conflicts_with_mode", "since starts a full read; use mode full or leave mode out.")
            }
            since = parsed
            mode = .full
        }
        return (entity, mode ?? .incremental, since)
    }

    /// `since` must lie in the past and inside the tenant's full-read window.
    static func checkWindow(_ since: Date, tenant: Tenant, now: Date = Date()) throws(HTTPError) {
        let days = tenant.settings.posting.backstopFullLookbackDays
        if since > now {
            throw invalidField("since", "out_of_range", "Must not be in the future.")
        }
        if since < PollRequest.windowStart(now: now, lookbackDays: days) {
            throw invalidField("since", "out_of_range",
                               "Must be within the last \(days) days (the tenant's posting.backstop_full_lookback_days).")
        }
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
