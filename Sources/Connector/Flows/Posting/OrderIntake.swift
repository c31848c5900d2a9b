import Foundation
import Postgres

/// What to do with an event about an order, decided where it arrives (webhook receiver or
/// backstop poll) inside the caller's transaction: note it on the order's record, and enqueue the
/// posting job only for the tenant's trigger event on a record not yet posted.
///
/// Only the trigger event gets a job because order and invoice events share one dedup key
/// (`OrderPosting.dedupKey`): a live job that merely notes `order_placed` would otherwise swallow
/// the `invoice_captured` job that must post.
///
/// ```swift
/// try conn.transaction { tx in
///     switch try OrderIntake().receive(tx, tenant: id, trigger: settings.trigger, request) {
///     case .enqueue(let key, let payload): try queue.enqueue(tx, kind: "post_order", tenant: id, payload: payload, dedupKey: key)
///     case .noted: break
///     }
/// }
/// ```
public struct OrderIntake: Sendable {
    public enum Decision: Sendable, Equatable {
        /// Enqueue the posting job under this dedup key with this JSON payload (an `OrderPostingRun.Request`).
        case enqueue(dedupKey: String, payload: String)
        case noted(reason: String)
    }

    public let records: RecordStore

    public init(records: RecordStore = RecordStore()) {
        self.records = records
    }

    public func receive(_ conn: Connection, tenant: String, trigger: PostingTrigger,
                        _ request: OrderPostingRun.Request) throws -> Decision {
        let key = RecordKey(tenant: tenant, entity: .order, sourceKey: request.incrementId)
        let before = try records.record(conn, key)
        let noted = try records.noteArrival(conn, key, via: request.arrivedVia, event: request.event.rawValue)
        switch OrderPosting.intakeAction(for: request.event, trigger: trigger, status: before?.status) {
        case .post:
            let payload = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
            return .enqueue(dedupKey: OrderPosting.dedupKey(tenant: tenant, incrementId: request.incrementId), payload: payload)
        case .noteOnly(let reason):
            // The backstop's overlap re-reads recent events: note each event and channel once.
            let seenBefore = before.map { $0.events.contains(request.event.rawValue) && $0.arrivedVia.merged(with: request.arrivedVia) == $0.arrivedVia } ?? false
            if seenBefore { return .noted(reason: reason) }
            try records.appendAudit(conn, recordID: noted.record.id, tenant: tenant, .decision(
                "event_noted", Self.noteMessage(request, reason: reason)))
            return .noted(reason: reason)
        }
    }
}
