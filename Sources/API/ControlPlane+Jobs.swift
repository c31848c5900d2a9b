import Connector
import Foundation
import HTTPServer
import Queue

/// `/v1/jobs`: list (tenant, kind, state; cursor pages), one job with its history, replay, cancel.
/// A tenant token sees only its tenant's jobs; another tenant's job is a 404 like a missing one.
extension ControlPlane {
    func listJobs(_ request: Request) throws(HTTPError) -> Response {
        let caller = try authenticator.controlPlaneCaller(request)
        let query = try request.query()
        let kind = query["kind"].flatMap { $0.isEmpty ? nil : $0 }
        if let kind, kind.count > 64 || !kind.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) {
            throw HTTPError.badRequest("invalid_query", "kind must be a job kind such as sync_items (lower-case letters, digits, underscores).",
                                       details: ["field": "kind"])
        }
        var filter = JobFilter(kind: kind,
                               state: try ControlPlane.choice(query, "state", JobState.self, choices: JobState.allCases))
        if let text = query["tenant"], !text.isEmpty {
            guard let id = TenantID(text) else {
                throw HTTPError.badRequest("invalid_query", "tenant must be a tenant id.", details: ["field": "tenant"])
            }
            guard caller.canSee(id) else { throw APIErrors.tenantNotFound(id) }
            filter.tenantID = id.rawValue
        }
        if let own = ownTenant(caller) { filter.tenantID = own }
        let limit = try ControlPlane.limit(query), cursor = try ControlPlane.cursor(query)
        let page = try withDatabase { try queue.list($0, filter: filter, limit: limit, cursor: cursor) }
        return ControlPlane.json(.object([
            "jobs": .array(page.jobs.map(ControlPlane.document)),
            "next_cursor": page.nextCursor.map { .string(String($0)) } ?? .null,
        ]))
    }

    func getJob(_ request: Request) throws(HTTPError) -> Response {
        let caller = try authenticator.controlPlaneCaller(request)
        let id = try ControlPlane.numericID(request, notFound: QueueError.Code.notFound.rawValue, "job")
        let detail = try withDatabase { try queue.job($0, id: id, tenantID: ownTenant(caller)) }
        return ControlPlane.json(ControlPlane.document(detail))
    }

    func replayJob(_ request: Request) throws(HTTPError) -> Response {
        let caller = try authenticator.controlPlaneCaller(request)
        let id = try ControlPlane.numericID(request, notFound: QueueError.Code.notFound.rawValue, "job")
        let job = try withDatabase { try queue.replay($0, id: id, actor: caller.token.id, tenantID: ownTenant(caller)) }
        logger.info("job replayed", metadata: ["job": "\(id)", "kind": "\(job.kind)", "tenant": "\(job.tenantID)", "token": "\(caller.token.id)"])
        return ControlPlane.json(.object(["job": ControlPlane.document(job)]), status: .accepted)
    }

    func cancelJob(_ request: Request) throws(HTTPError) -> Response {
        let caller = try authenticator.controlPlaneCaller(request)
        let id = try ControlPlane.numericID(request, notFound: QueueError.Code.notFound.rawValue, "job")
        let job = try withDatabase { try queue.cancel($0, id: id, actor: caller.token.id, tenantID: ownTenant(caller)) }
        logger.info("job cancelled", metadata: ["job": "\(id)", "state": "\(job.state.rawValue)", "token": "\(caller.token.id)"])
        return ControlPlane.json(.object(["job": ControlPlane.document(job)]))
    }

    /// The tenant a tenant token is limited to; nil for an admin.
    func ownTenant(_ caller: Caller) -> String? {
        if case .tenant(let own) = caller.token.scope { return own.rawValue }
        return nil
    }

    static func document(_ job: JobRecord) -> DocumentValue {
        .object([
            "id": .number(Double(job.id)),
            "tenant": .string(job.tenantID),
            "kind": .string(job.kind),
            "state": .string(job.state.rawValue),
            "priority": .number(Double(job.priority)),
            "run_at": timestamp(job.runAt),
            "attempt": .number(Double(job.attempt)),
            "max_attempts": .number(Double(job.maxAttempts)),
            "dedup_key": job.dedupKey.map { .string($0) } ?? .null,
            "payload": embedded(job.payload),
            "progress": embedded(job.progress),
            "last_error": job.lastError.map { .string($0) } ?? .null,
            "cancel_requested": .bool(job.cancelRequested),
            "owner": job.owner.map { .string($0) } ?? .null,
            "lease_until": timestamp(job.leaseUntil),
            "created_at": timestamp(job.createdAt),
            "attempted_at": timestamp(job.attemptedAt),
            "finished_at": timestamp(job.finishedAt),
        ])
    }

    static func document(_ detail: JobDetail) -> DocumentValue {
        guard case .object(var doc) = document(detail.job) else { return .null }
        doc["history"] = .array(detail.events.map(document))
        var errors: [DocumentValue] = []
        for event in detail.events {
            guard let error = event.error else { continue }
            let entry: [String: DocumentValue] = ["attempt": .number(Double(event.attempt)), "at": timestamp(event.at), "error": .string(error)]
            errors.append(.object(entry))
        }
        doc["errors"] = .array(errors)
        return .object(doc)
    }

    static func document(_ event: JobEvent) -> DocumentValue {
        func text(_ s: String?) -> DocumentValue { s.map { .string($0) } ?? .null }
        var duration = DocumentValue.null
        if let ms = event.durationMs { duration = .number((ms * 10).rounded() / 10) }
        let fields: [String: DocumentValue] = [
            "event": .string(event.event),
            "attempt": .number(Double(event.attempt)),
            "at": timestamp(event.at),
            "started_at": timestamp(event.startedAt),
            "duration_ms": duration,
            "worker": text(event.worker),
            "actor": text(event.actor),
            "error": text(event.error),
        ]
        return .object(fields)
    }
}
