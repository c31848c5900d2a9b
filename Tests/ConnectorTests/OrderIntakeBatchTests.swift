@testable import Connector
import Foundation
import Postgres
import Queue
import Testing

/// `OrderIntake.receiveAndStoreBatch` (the webhook writer's group commit) against storing the
/// same hooks one after the other with `receiveAndStore`.
@Suite(.serialized) struct OrderIntakeBatchTests {
    static func queue() -> JobQueue {
        let registry = JobRegistry()
        registry.register("post_order", usesGP: true, maxAttempts: 7) { _, _ in }
        return JobQueue(registry: registry, defaultMaxParallelGPCalls: 2)
    }

    static func placed(_ tenant: String, _ increment: String, trigger: PostingTrigger = .invoiceCaptured,
                       via: ArrivalChannel = .webhook) -> OrderIntake.Arrival {
        OrderIntake.Arrival(tenant: tenant, trigger: trigger,
                            request: .init(incrementId: increment, event: .orderPlaced, arrivedVia: via),
                            eventName: "observer.sales_order_place_after",
                            body: Array(#"{"eventName":"observer.sales_order_place_after","id":"\#(increment)"}"#.utf8))
    }

    static func paid(_ tenant: String, _ increment: String, trigger: PostingTrigger = .invoiceCaptured) -> OrderIntake.Arrival {
        OrderIntake.Arrival(tenant: tenant, trigger: trigger,
                            request: .init(incrementId: increment, event: .invoiceCaptured, arrivedVia: .webhook, invoiceId: 9),
                            eventName: "sales_order_invoice_pay", body: Array(#"{"invoice":"\#(increment)"}"#.utf8))
    }

    /// A paid invoice that names its order by entity id only: a `resolve_invoice` job, no record.
    static func hint(_ tenant: String, _ invoice: String, order: Int) -> OrderIntake.Arrival {
        OrderIntake.Arrival(tenant: tenant, trigger: .invoiceCaptured, request: nil,
                            hint: InvoiceHint(orderId: order, invoiceId: 5, invoiceIncrementId: invoice),
                            eventName: "sales_order_invoice_pay", body: Array(#"{"invoice":"\#(invoice)","order_id":\#(order)}"#.utf8))
    }

    static func auditOnly(_ tenant: String) -> OrderIntake.Arrival {
        OrderIntake.Arrival(tenant: tenant, trigger: .invoiceCaptured, request: nil, eventName: "sales_order_invoice_save_after",
                            body: Array(#"{"invoice":"unpaid"}"#.utf8))
    }

    /// Rows without their generated ids (a batch numbers records in key order, deliveries per round).
    static let dumps = [
        "records": "SELECT tenant_id, entity, source_key, status, arrived_via, events, attempts FROM records",
        "audit_events": "SELECT r.source_key, a.tenant_id, a.kind, a.code, a.message FROM audit_events a JOIN records r ON r.id = a.record_id",
        "jobs": "SELECT tenant_id, kind, state, priority, max_attempts, uses_gp, dedup_key, payload FROM jobs",
        "webhook_deliveries": "SELECT d.tenant_id, d.event_name, d.dedup_key, r.source_key, encode(d.body, 'hex') AS body, d.signature_ok FROM webhook_deliveries d LEFT JOIN records r ON r.id = d.record_id",
        "queue_gp_slots": "SELECT tenant_id, slot, job_id FROM queue_gp_slots",
    ]

    static func dump(_ conn: Connection, _ table: String) throws -> [String] {
        try conn.query("SELECT row_to_json(t)::text FROM (\(dumps[table]!)) t ORDER BY 1", []).map { try $0.decode(0) }
    }

    /// The decision with its payload decoded (JSONEncoder's key order varies between encodes).
    static func comparable(_ stored: OrderIntake.BatchStored) throws -> String {
        switch stored.decision {
        case .enqueue(let key, let payload)?:
            let request = try JSONDecoder().decode(OrderPostingRun.Request.self, from: Data(payload.utf8))
            return "enqueue \(key) \(request) job=\(stored.jobInserted) record=\(stored.recordID != nil)"
        case .noted(let reason)?: return "noted \(reason) job=\(stored.jobInserted) record=\(stored.recordID != nil)"
        case nil: return "audit-only job=\(stored.jobInserted) record=\(stored.recordID != nil)"
        }
    }

    @Test func aBatchWithDuplicatesWritesExactlyWhatStoringItsHooksOneByOneWrites() throws {
        let queue = Self.queue()
        let one = try OrderIntakeStoreTests.Pair.database("ibatchone")
        let batch = try OrderIntakeStoreTests.Pair.database("ibatchall")
        // Parked and posted records stay as they are: noted once, never a job.
        for conn in [one, batch] {
            try conn.execute("""
                INSERT INTO records (tenant_id, entity, source_key, status, arrived_via) VALUES
                ('acme', 'order', '102', 'needs_attention', 'poll'), ('acme', 'order', '103', 'posted', 'poll')
                """, [])
        }
        let arrivals: [OrderIntake.Arrival] = [
            Self.placed("acme", "100"), Self.placed("acme", "100"), Self.paid("acme", "100"), Self.paid("acme", "100"),
            Self.placed("acme", "101"), Self.auditOnly("acme"),
            Self.placed("beta", "7", trigger: .orderPlaced), Self.placed("beta", "7", trigger: .orderPlaced),
            Self.placed("beta", "7", trigger: .orderPlaced, via: .poll), Self.placed("beta", "8", trigger: .orderPlaced),
            Self.paid("acme", "102"), Self.placed("acme", "102"), Self.paid("acme", "103"), Self.auditOnly("beta"),
            Self.paid("acme", "100"), Self.hint("acme", "INV-1", order: 55), Self.hint("acme", "INV-1", order: 55),
            Self.hint("beta", "INV-2", order: 56),
        ]
        let intake = OrderIntake()
        let oneByOne = try arrivals.map { try Self.comparable(intake.storeOne(one, queue: queue, kind: "post_order", $0)) }
        let together = try intake.receiveAndStoreBatch(batch, queue: queue, kind: "post_order", arrivals)
            .map { try Self.comparable($0.get()) }
        #expect(together == oneByOne)
        for table in Self.dumps.keys.sorted() {
            #expect(try Self.dump(batch, table) == Self.dump(one, table), "\(table)")
        }
        // The rule itself: one job per order that posts, every delivery kept.
        #expect(try batch.query("SELECT dedup_key FROM jobs ORDER BY 1", []).map { try $0.decode(0, as: String.self) }
                == ["invoice:acme:INV-1", "invoice:beta:INV-2", "order:acme:100", "order:beta:7", "order:beta:8"])
        #expect(try batch.query("SELECT count(*) FROM jobs WHERE kind = 'resolve_invoice' AND NOT uses_gp", [])[0].decode(0, as: Int.self) == 2)
        #expect(try batch.query("SELECT count(*) FROM webhook_deliveries", [])[0].decode(0, as: Int.self) == arrivals.count)
    }

    @Test func aRoundOfDistinctOrdersIsOneStatement() throws {
        let conn = try OrderIntakeStoreTests.Pair.database("ibatchround")
        let arrivals = (0..<50).map { Self.placed("acme", String(1000 + $0), trigger: .orderPlaced) }
        // storeRound throws instead of falling back: it must take the whole round at once.
        let stored = try OrderIntake().storeRound(conn, queue: Self.queue(), kind: "post_order", arrivals).map { try $0.get() }
        #expect(stored.count == 50)
        #expect(stored.allSatisfy { $0.jobInserted && $0.recordID != nil })
        #expect(Set(stored.compactMap(\.recordID)).count == 50)
        #expect(try conn.query("SELECT count(*) FROM jobs", [])[0].decode(0, as: Int.self) == 50)
        #expect(try conn.query("SELECT count(*) FROM queue_gp_slots", [])[0].decode(0, as: Int.self) == 2)
    }

    @Test func aHundredCopiesOfOneOrderInOneBatchMakeOneRecordOneJobAndAHundredDeliveries() throws {
        let conn = try OrderIntakeStoreTests.Pair.database("ibatchdup")
        let arrivals = (0..<100).map { i in i % 2 == 0 ? Self.placed("acme", "555", trigger: .orderPlaced)
                                                      : Self.placed("acme", String(600 + i), trigger: .orderPlaced) }
        let stored = try OrderIntake().receiveAndStoreBatch(conn, queue: Self.queue(), kind: "post_order", arrivals).map { try $0.get() }
        #expect(stored.filter(\.jobInserted).count == 51)
        #expect(stored[0].jobInserted && !stored[2].jobInserted)
        func count(_ sql: String) throws -> Int { try conn.query(sql, [])[0].decode(0) }
        #expect(try count("SELECT count(*) FROM records WHERE source_key = '555'") == 1)
        #expect(try count("SELECT count(*) FROM jobs WHERE dedup_key = 'order:acme:555'") == 1)
        #expect(try count("SELECT count(*) FROM webhook_deliveries") == 100)
    }

    @Test func oneHookThatBreaksAConstraintFailsAloneAndTheRestOfItsBatchIsStored() throws {
        let conn = try OrderIntakeStoreTests.Pair.database("ibatchbad")
        // source_key is at most 200 characters: this one's statement cannot commit.
        let tooLong = String(repeating: "9", count: 300)
        let arrivals = [Self.placed("acme", "1", trigger: .orderPlaced), Self.placed("acme", tooLong, trigger: .orderPlaced),
                        Self.placed("acme", "2", trigger: .orderPlaced), Self.auditOnly("acme"),
                        Self.placed("acme", "1", trigger: .orderPlaced)]
        let outcomes = OrderIntake().receiveAndStoreBatch(conn, queue: Self.queue(), kind: "post_order", arrivals)
        #expect(outcomes.map { if case .success = $0 { true } else { false } } == [true, false, true, true, true])
        #expect(try outcomes[0].get().jobInserted && outcomes[2].get().jobInserted)
        #expect(try !outcomes[4].get().jobInserted)
        func count(_ sql: String) throws -> Int { try conn.query(sql, [])[0].decode(0) }
        #expect(try count("SELECT count(*) FROM webhook_deliveries") == 4)
        #expect(try count("SELECT count(*) FROM jobs") == 2)
        #expect(try count("SELECT count(*) FROM records") == 2)
    }

    @Test func textsAndBodiesWithQuotesBracesCommasAndZeroBytesArriveByteForByte() throws {
        let conn = try OrderIntakeStoreTests.Pair.database("ibatchbytes")
        let odd = [#"A"B"#, "{1,2}", "NULL", #"back\slash"#, "ünï 🛒", "a,b"]
        var arrivals = odd.map { Self.placed("acme", $0) }
        arrivals[0].body = [0, 1, 2, 0x22, 0x5C, 0, 255]
        arrivals[1].body = []
        let stored = try OrderIntake().storeRound(conn, queue: Self.queue(), kind: "post_order", arrivals).map { try $0.get() }
        #expect(stored.count == odd.count)
        let keys = try conn.query("SELECT source_key FROM records ORDER BY id", []).map { try $0.decode(0, as: String.self) }
        #expect(Set(keys) == Set(odd))
        let bodies = try conn.query("SELECT body FROM webhook_deliveries ORDER BY id", []).map { try $0.decode(0, as: [UInt8].self) }
        #expect(bodies == arrivals.map(\.body))
    }
}
