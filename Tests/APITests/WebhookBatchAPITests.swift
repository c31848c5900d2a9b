import API
import Connector
import Foundation
import Postgres
import Testing

/// The webhook writers' group commit through the real control plane and PostgreSQL: concurrent
/// hooks share statements and commits, yet each is stored exactly as if alone.
@Suite(.serialized) struct WebhookBatchAPITests {
    static func harness(_ label: String, budget: Duration, writers: Int = 2) throws -> APIHarness {
        let h = try APIHarness(label, poolSize: 8) {
            $0.postingTrigger = { _ in .orderPlaced }
            $0.webhookBudget = budget
            $0.webhookSinkThreads = writers
        }
        let fixtureKey = Fixtures.publicKey2048.replacingOccurrences(of: "\n", with: "\\n")
        let json = Fixtures.tenantJSON().replacingOccurrences(of: fixtureKey, with: WebhookSigner.shared.publicKeyJSON)
        #expect(try h.admin("POST", "/v1/tenants", json: json).status == 201)
        return h
    }

    func post(_ h: APIHarness, increment: String) throws -> Int {
        let body = WebhookAPITests.placed(increment)
        return try h.send("POST", "/v1/webhooks/commerce/contoso",
                          headers: ["Content-Type": "application/json",
                                    "x-adobe-commerce-webhook-signature": try WebhookSigner.shared.sign(body)],
                          rawBody: Array(body.utf8)).status
    }

    /// Posts on one thread per increment id; returns the statuses once all are answered.
    func postConcurrently(_ h: APIHarness, _ increments: [String], perThread: Int = 1) -> [Int] {
        let statuses = WebhookAPITests.Statuses()
        for increment in increments {
            Thread { for _ in 0..<perThread { statuses.add((try? post(h, increment: increment)) ?? -1) } }.start()
        }
        try? waitUntil(seconds: 120) { statuses.count == increments.count * perThread }
        return statuses.all
    }

    /// Polls `condition` until it holds (a wait for an event, not a speed assertion).
    func waitUntil(seconds: Double = 30, _ condition: () throws -> Bool) throws {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while try !condition() && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
    }

    @Test func manyConcurrentHooksWithRepeatedOrdersStoreEveryDeliveryAndOneJobPerOrder() throws {
        // A generous budget: this checks what is stored, not how fast.
        let h = try Self.harness("hookbatchmany", budget: .seconds(20))
        defer { h.stop() }
        let increments = (0..<16).map { String(format: "00000%03d", $0 % 12) }
        let statuses = postConcurrently(h, increments, perThread: 10)
        #expect(statuses.count == 160 && statuses.allSatisfy { $0 == 200 })
        #expect(try h.count("SELECT count(*) FROM webhook_deliveries") == 160)
        #expect(try h.count("SELECT count(*) FROM records") == 12)
        #expect(try h.count("SELECT count(*) FROM jobs") == 12)
        #expect(try h.count("SELECT count(DISTINCT dedup_key) FROM jobs") == 12)
        #expect(try h.count("SELECT count(*) FROM webhook_deliveries WHERE record_id IS NULL") == 0)
        #expect(h.plane.webhooks.counters.accepted == 160)
    }

    @Test func aBatchWithOneUnstorableHookStoresTheRestAndAnswersEveryCallerSuccess() throws {
        let h = try Self.harness("hookbatchbad", budget: .seconds(20), writers: 1)
        defer { h.stop() }
        // Hold the only writer on its first hook so that the next ones queue up into one batch.
        let blocker = try h.connection()
        try blocker.execute("BEGIN", [])
        try blocker.execute("LOCK TABLE webhook_deliveries IN ACCESS EXCLUSIVE MODE", [])
        let statuses = WebhookAPITests.Statuses()
        Thread { statuses.add((try? post(h, increment: "000000001")) ?? -1) }.start()
        let waitingOnLock = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        try waitUntil { try h.count(waitingOnLock) > 0 }
        // source_key holds at most 200 characters: this hook can never be stored.
        let queued = ["000000002", String(repeating: "9", count: 300), "000000003", "000000002", "000000001"]
        for increment in queued { Thread { statuses.add((try? post(h, increment: increment)) ?? -1) }.start() }
        try waitUntil { h.plane.webhooks.backlog >= queued.count }
        #expect(h.plane.webhooks.backlog == queued.count)
        try blocker.execute("COMMIT", [])
        try waitUntil { statuses.count == queued.count + 1 }
        #expect(statuses.all.allSatisfy { $0 == 200 })
        #expect(h.plane.webhooks.counters.accepted == 5, "\(h.plane.webhooks.counters)")
        #expect(h.plane.webhooks.counters.sinkFailed == 1)
        #expect(try h.count("SELECT count(*) FROM webhook_deliveries") == 5)
        #expect(try h.count("SELECT count(*) FROM jobs") == 3)
        #expect(try h.count("SELECT count(*) FROM records") == 3)
        #expect(h.plane.renderedMetrics().contains("mlc_webhooks_store_failed_total 1"))
    }
}
