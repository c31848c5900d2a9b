import Connector
import Foundation
import Postgres
import Queue
import Testing

/// `OrderIntake.receiveAndStore` (one statement) against the transaction it replaces in the
/// webhook receiver: `receive`, `JobQueue.enqueue` on `.enqueue`, then the delivery row.
@Suite(.serialized) struct OrderIntakeStoreTests {
    /// Same hooks into two fresh databases, one per path.
    struct Pair {
        let old: Connection
        let new: Connection
        let queue: JobQueue

        init(_ label: String) throws {
            let registry = JobRegistry()
            // A GP kind with its own attempts: the stamps and GP slots must match too.
            registry.register("post_order", usesGP: true, maxAttempts: 7) { _, _ in }
            queue = JobQueue(registry: registry, defaultMaxParallelGPCalls: 2)
            old = try Self.database(label + "old")
            new = try Self.database(label + "new")
        }

        static func database(_ label: String) throws -> Connection {
            let conn = try FlowsDatabase.connection(label)
            try conn.executeScript(try String(contentsOf: FlowsDatabase.schemaDirectory.appendingPathComponent("002_queue.sql"),
                                              encoding: .utf8))
            return conn
        }

        /// Sends one hook both ways; returns (old decision, new result).
        @discardableResult
        func hook(_ tenant: String, _ trigger: PostingTrigger, _ request: OrderPostingRun.Request,
                  eventName: String = "observer.sales_order_place_after") throws -> (OrderIntake.Decision, OrderIntake.Stored) {
            let body = Array(#"{"eventName":"\#(eventName)","id":"\#(request.incrementId)"}"#.utf8)
            let records = RecordStore()
            let decision = try old.transaction { tx in
                let decision = try OrderIntake(records: records).receive(tx, tenant: tenant, trigger: trigger, request)
                if case .enqueue(let key, let payload) = decision {
                    _ = try queue.enqueue(tx, EnqueueRequest(kind: "post_order", tenantID: tenant, payload: payload, dedupKey: key))
                }
                let recordID = try records.record(tx, RecordKey(tenant: tenant, entity: .order, sourceKey: request.incrementId))?.id
                try WebhookDeliveryStore().insert(tx, tenant: tenant, eventName: eventName,
                                                  dedupKey: OrderPosting.dedupKey(tenant: tenant, incrementId: request.incrementId),
                                                  body: body, signatureOK: true, recordID: recordID)
                return decision
            }
            let stored = try OrderIntake(records: records).receiveAndStore(
                new, queue: queue, kind: "post_order", tenant: tenant, trigger: trigger, request, eventName: eventName, body: body)
            switch (stored.decision, decision) {
            case (.enqueue(let newKey, let newPayload), .enqueue(let oldKey, let oldPayload)):
                // JSONEncoder's key order varies from one encode to the next; compare the requests.
                #expect(newKey == oldKey)
                #expect(try JSONDecoder().decode(OrderPostingRun.Request.self, from: Data(newPayload.utf8))
                        == JSONDecoder().decode(OrderPostingRun.Request.self, from: Data(oldPayload.utf8)))
            default:
                #expect(stored.decision == decision)
            }
            try expectSameRows()
            return (decision, stored)
        }

        static let dumps = [
            "records": "SELECT id, tenant_id, entity, source_key, target_key, content_hash, status, arrived_via, match_key, events, last_error_code, last_error_message, attempts FROM records",
            "audit_events": "SELECT id, record_id, tenant_id, kind, code, message, method, url, status, duration_ms, request_body, response_body, job_id FROM audit_events",
            "jobs": "SELECT id, tenant_id, kind, state, priority, attempt, max_attempts, uses_gp, owner, dedup_key, payload, run_at = created_at AS due_now FROM jobs",
            "webhook_deliveries": "SELECT id, tenant_id, event_name, dedup_key, record_id, encode(body, 'escape') AS body, signature_ok FROM webhook_deliveries",
            "queue_gp_slots": "SELECT tenant_id, slot, job_id, attempt FROM queue_gp_slots",
        ]

        func dump(_ conn: Connection, _ table: String) throws -> [String] {
            try conn.query("SELECT row_to_json(t)::text FROM (\(Self.dumps[table]!)) t ORDER BY 1", []).map { try $0.decode(0) }
        }

        func expectSameRows() throws {
            for table in Self.dumps.keys.sorted() {
                #expect(try dump(old, table) == dump(new, table), "\(table)")
            }
        }

        func count(_ sql: String) throws -> Int { try new.query(sql, [])[0].decode(0) }
    }

    @Test func theSingleStatementWritesExactlyTheRowsOfTheTransactionItReplaces() throws {
        let p = try Pair("istore")
        // A new order, not the trigger: noted once, no job.
        let placed = OrderPostingRun.Request(incrementId: "100", event: .orderPlaced, arrivedVia: .webhook)
        let (first, stored) = try p.hook("acme", .invoiceCaptured, placed)
        guard case .noted = first else { Issue.record("\(first)"); return }
        #expect(!stored.jobInserted)
        // Its duplicate: nothing new but the delivery (no second audit).
        try p.hook("acme", .invoiceCaptured, placed)
        #expect(try p.count("SELECT count(*) FROM audit_events") == 1)
        // The paid invoice: the posting job, with the registry's stamps and the tenant's GP slots.
        let paid = OrderPostingRun.Request(incrementId: "100", event: .invoiceCaptured, arrivedVia: .webhook, invoiceId: 9)
        let (decision, posted) = try p.hook("acme", .invoiceCaptured, paid, eventName: "sales_order_invoice_pay")
        guard case .enqueue = decision else { Issue.record("\(decision)"); return }
        #expect(posted.jobInserted)
        #expect(try p.count("SELECT count(*) FROM jobs WHERE max_attempts = 7 AND uses_gp") == 1)
        #expect(try p.count("SELECT count(*) FROM queue_gp_slots WHERE tenant_id = 'acme'") == 2)
        // Its duplicate: the live job swallows it.
        let (_, again) = try p.hook("acme", .invoiceCaptured, paid, eventName: "sales_order_invoice_pay")
        #expect(!again.jobInserted)
        // A new order that is the trigger.
        let (_, beta) = try p.hook("beta", .orderPlaced, .init(incrementId: "7", event: .orderPlaced, arrivedVia: .webhook))
        #expect(beta.jobInserted)
        // The poll mentions it too: the channel merges to both; no second job.
        try p.hook("beta", .orderPlaced, .init(incrementId: "7", event: .orderPlaced, arrivedVia: .poll))

        // Posted: every further event is noted once per event and channel, never enqueued.
        for conn in [p.old, p.new] {
            try conn.execute("UPDATE jobs SET state = 'completed', finished_at = now()", [])
            try conn.execute("UPDATE records SET status = 'posted', target_key = 'WEB' || source_key", [])
        }
        for _ in 0..<2 {
            let (late, stored) = try p.hook("acme", .invoiceCaptured, paid, eventName: "sales_order_invoice_pay")
            guard case .noted = late else { Issue.record("posted order enqueued again: \(late)"); return }
            #expect(!stored.jobInserted)
        }
        // Conflict parks it the same way.
        for conn in [p.old, p.new] { try conn.execute("UPDATE records SET status = 'conflict' WHERE source_key = '7'", []) }
        try p.hook("beta", .orderPlaced, .init(incrementId: "7", event: .orderPlaced, arrivedVia: .webhook))
        #expect(try p.count("SELECT count(*) FROM jobs") == 2)
        #expect(try p.count("SELECT count(*) FROM webhook_deliveries") == 9)
    }

    @Test func aStoredJobWakesTheWorkersOnceAndADuplicateDoesNot() throws {
        let conninfo = try FlowsDatabase.connectionInfo("inotify")
        let conn = try Connection(conninfo)
        try conn.executeScript(try String(contentsOf: FlowsDatabase.schemaDirectory.appendingPathComponent("002_queue.sql"),
                                          encoding: .utf8))
        let queue = JobQueue()
        let listener = try NotificationListener(conninfo: conninfo, channels: [queue.channel])
        let placed = OrderPostingRun.Request(incrementId: "1", event: .orderPlaced, arrivedVia: .webhook)
        func send() throws -> OrderIntake.Stored {
            try OrderIntake().receiveAndStore(conn, queue: queue, kind: "post_order", tenant: "acme",
                                              trigger: .orderPlaced, placed, eventName: "e", body: [1, 2])
        }
        #expect(try send().jobInserted)
        #expect(try listener.wait(timeout: .seconds(5)).map(\.channel) == [queue.channel])
        #expect(try !send().jobInserted)
        #expect(try listener.wait(timeout: .milliseconds(300)).isEmpty)
        #expect(try conn.query("SELECT count(*) FROM queue_gp_slots", [])[0].decode(0, as: Int.self) == 0)
    }
}
