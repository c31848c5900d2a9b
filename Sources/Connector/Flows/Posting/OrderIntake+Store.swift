import Foundation
import Postgres
import Queue
import Synchronization

extension OrderIntake {
    /// What `receiveAndStore` did.
    public struct Stored: Sendable, Equatable {
        /// The same decision `receive` would have returned.
        public var decision: Decision
        public var recordID: Int64
        public var deliveryID: Int64
        /// A new posting job was inserted (false: not the trigger, or a live job had the key).
        public var jobInserted: Bool
    }

    /// The webhook's whole write in ONE statement, so one round trip and atomic by itself (no
    /// BEGIN/COMMIT): what `receive` writes (the record's arrival, the `event_noted` audit once
    /// per event and channel), the posting job exactly as `queue.enqueue` would insert it when the
    /// decision is to post (same dedup, `uses_gp`/`max_attempts` stamps, GP slots, one NOTIFY),
    /// and the delivery with its raw bytes, linked to the record.
    ///
    /// The decision stays `OrderPosting.action`'s: it is evaluated here for every record status
    /// and the statement picks the row for the status it finds, so no posting rule lives in SQL.
    /// The status comes from the row the upsert locked (the newest committed one); "seen before"
    /// from the statement's snapshot, as `receive` reads it before its upsert.
    public func receiveAndStore(_ conn: Connection, queue: JobQueue, kind: String, tenant: String,
                                trigger: PostingTrigger, _ request: OrderPostingRun.Request,
                                eventName: String, body: [UInt8], signatureOK: Bool = true) throws -> Stored {
        let dedupKey = OrderPosting.dedupKey(tenant: tenant, incrementId: request.incrementId)
        let payload = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
        let table = Self.decisionTable(event: request.event, via: request.arrivedVia, trigger: trigger,
                                       auditCap: records.auditBodyCap)
        let stamp = queue.stamp(kind)
        let rows = try conn.queryCached(Self.storeSQL, [
            .text(tenant), .text(RecordEntity.order.rawValue), .text(request.incrementId),
            .text(request.arrivedVia.rawValue), .text(request.event.rawValue),
            table.postKeys, table.noteKeys, table.noteMessages,
            .text(kind), stamp.maxAttempts.postgresValue, stamp.usesGP.postgresValue, .text(dedupKey), .text(payload),
            queue.defaultMaxParallelGPCalls.postgresValue, .text(eventName), .bytea(body), signatureOK.postgresValue,
            .text(queue.channel),
        ])
        guard let row = rows.first else { throw PostgresError(.queryFailed, "webhook store returned no row") }
        let key: String = try row.decode("status_key")
        let decision: Decision
        switch OrderPosting.intakeAction(for: request.event, trigger: trigger, status: key.isEmpty ? nil : RecordStatus(rawValue: key)) {
        case .post: decision = .enqueue(dedupKey: dedupKey, payload: payload)
        case .noteOnly(let reason): decision = .noted(reason: reason)
        }
        return Stored(decision: decision, recordID: try row.decode("record_id"), deliveryID: try row.decode("delivery_id"),
                      jobInserted: try row.decode("jobs_inserted", as: Int64.self) > 0)
    }

    /// `OrderPosting.action` for every status a record can have ("" = no record yet, `receive`'s
    /// `before == nil`): the status keys that post, and those that only note with their audit
    /// message, redacted and capped as `appendAudit` does. They depend on the event, channel and
    /// trigger only, so they are built once per combination (redaction is not cheap per hook).
    struct DecisionTable: Sendable {
        let postKeys: PostgresValue
        let noteKeys: PostgresValue
        let noteMessages: PostgresValue
        /// The same table row by row, for the batched statement.
        let rules: [DecisionRule]
    }

    private static let decisionTables = Mutex<[String: DecisionTable]>([:])

    static func decisionTable(event: SalesEvent, via: ArrivalChannel, trigger: PostingTrigger, auditCap: Int) -> DecisionTable {
        let cacheKey = "\(event.rawValue)|\(via.rawValue)|\(trigger.rawValue)|\(auditCap)"
        if let table = decisionTables.withLock({ $0[cacheKey] }) { return table }
        let statuses: [(key: String, status: RecordStatus?)] = [("", nil)] + RecordStatus.allCases.map { ($0.rawValue, $0) }
        var postKeys: [String] = [], noteKeys: [String] = [], noteMessages: [String] = [], rules: [DecisionRule] = []
        let request = OrderPostingRun.Request(incrementId: "", event: event, arrivedVia: via)
        for (key, status) in statuses {
            switch OrderPosting.intakeAction(for: event, trigger: trigger, status: status) {
            case .post:
                postKeys.append(key)
                rules.append(DecisionRule(statusKey: key, post: true, message: nil))
            case .noteOnly(let reason):
                let message = AuditRedaction.capped(AuditRedaction.redactText(noteMessage(request, reason: reason)), cap: auditCap)
                noteKeys.append(key)
                noteMessages.append(message)
                rules.append(DecisionRule(statusKey: key, post: false, message: message))
            }
        }
        let table = DecisionTable(postKeys: .array(postKeys), noteKeys: .array(noteKeys), noteMessages: .array(noteMessages),
                                  rules: rules)
        decisionTables.withLock { $0[cacheKey] = table }
        return table
    }

    static func noteMessage(_ request: OrderPostingRun.Request, reason: String) -> String {
        "\(request.event.rawValue) via \(request.arrivedVia.rawValue): \(reason)"
    }

    /// $1 tenant, $2 entity, $3 increment id, $4 channel, $5 event (RecordSQL.noteArrival's own),
    /// $6 status keys that post, $7/$8 status keys that only note / their audit messages,
    /// $9 job kind, $10 max_attempts, $11 uses_gp, $12 dedup key, $13 payload, $14 default GP
    /// slots, $15 event name, $16 raw body, $17 signature ok, $18 NOTIFY channel.
    /// Data-modifying CTEs see one snapshot and each other only through RETURNING: everything
    /// hangs off `up`, the upsert's row. `old` is that record as the snapshot has it (the version
    /// before `up` changed it; none if it is new), read by primary key: a lookup by (tenant,
    /// entity, source key) lets a planner without statistics (a young table) take
    /// `records_list_idx` and read every order of the tenant.
    static let storeSQL = """
        WITH up AS (
            \(RecordSQL.noteArrival)
        ), old AS (
            SELECT o.events, o.arrived_via FROM up CROSS JOIN LATERAL (
                SELECT r.events, r.arrived_via FROM records r WHERE r.id = up.id OFFSET 0) o
        ), decided AS (
            SELECT up.id, CASE WHEN up.inserted THEN '' ELSE up.status END AS status_key FROM up
        ), wanted AS (
            SELECT $1::text AS tenant_id, $9::text AS kind, 100 AS priority, NULL::timestamptz AS run_at,
                   $10::int AS max_attempts, $11::bool AS uses_gp, $12::text AS dedup_key, $13::text AS payload
              FROM decided d WHERE d.status_key = ANY($6::text[])
        ), job AS (
            \(QueueSQL.enqueueInsert(from: "SELECT * FROM wanted"))
        ), slots AS (
            \(QueueSQL.ensureSlotsInsert(from: "SELECT * FROM wanted", slots: "$14"))
        ), noted AS (
            INSERT INTO audit_events (record_id, tenant_id, kind, code, message)
            SELECT d.id, $1, 'decision', 'event_noted', n.message
              FROM decided d JOIN unnest($7::text[], $8::text[]) AS n(status_key, message) ON n.status_key = d.status_key
             WHERE NOT EXISTS (SELECT 1 FROM old o WHERE $5::text = ANY(o.events) AND o.arrived_via IN ($4::text, 'both'))
        ), delivery AS (
            INSERT INTO webhook_deliveries (tenant_id, event_name, dedup_key, record_id, body, signature_ok)
            SELECT $1, $15, $12, up.id, $16, $17 FROM up RETURNING id
        ), woke AS MATERIALIZED (
            SELECT pg_notify($18, '') FROM job WHERE job.state = 'available'
        )
        SELECT d.id AS record_id, d.status_key, (SELECT id FROM delivery) AS delivery_id,
               (SELECT count(*) FROM job) AS jobs_inserted, (SELECT count(*) FROM woke) AS woke
          FROM decided d
        """
}
