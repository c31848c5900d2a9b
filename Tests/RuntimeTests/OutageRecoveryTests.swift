import Connector
import Foundation
import GP
import Postgres
import Queue
import Simulators
import TestSupport
import Testing

/// Outside systems failing for a while, with the connector's worker pool running as `serve` runs
/// it: GP answering 5xx (then back), Commerce answering 429 with Retry-After. The queue's backoff is
/// shortened (base 0.5 s, cap 4 s) so the tests take seconds, not the production minutes.
@Suite(.serialized) struct OutageRecoveryTests {
    static func runtime(_ world: RuntimeWorld, workers: Int = 3) -> ConnectorRuntime {
        ConnectorRuntime(conninfo: world.conninfo, tenants: world.tenants, workers: workers,
                         queue: JobQueue(registry: JobRegistry(), backoff: Backoff(base: 0.5, cap: 4)), configure: {
                             $0.pollInterval = 0.1
                             $0.maintenanceInterval = 0.2
                         }, tenantSyncInterval: 0.5)
    }

    /// Every attempt of a job: (attempt, event, started_at, at, error), oldest first.
    struct AttemptEvent {
        var attempt: Int
        var event: String
        var startedAt: Date?
        var at: Date
        var error: String?
    }

    /// The job's failed attempts from `job_events`, plus its last attempt from the row itself (a
    /// success writes no event).
    static func events(_ conn: Connection, job: Int64) throws -> [AttemptEvent] {
        let last = try conn.query("""
            SELECT attempt, state::text AS state, extract(epoch FROM attempted_at)::float8 AS s,
                   extract(epoch FROM coalesce(finished_at, now()))::float8 AS a FROM jobs WHERE id = $1
            """, job).map { row in
            AttemptEvent(attempt: try row.decode("attempt"), event: try row.decode("state"),
                         startedAt: Date(timeIntervalSince1970: try row.decode("s")), at: Date(timeIntervalSince1970: try row.decode("a")))
        }
        return try conn.query("""
            SELECT attempt, event, extract(epoch FROM started_at)::float8 AS s, extract(epoch FROM at)::float8 AS a, error
            FROM job_events WHERE job_id = $1 ORDER BY id
            """, job).map { row in
            let started: Double? = try row.decode("s")
            return AttemptEvent(attempt: try row.decode("attempt"), event: try row.decode("event"),
                                startedAt: started.map { Date(timeIntervalSince1970: $0) },
                                at: Date(timeIntervalSince1970: try row.decode("a")), error: try row.decode("error"))
        } + last
    }

    @Test func ordersPostedWhileGPAnswers5xxRetryWithBackoffAndAllPostOnceWhenGPIsBack() async throws {
        let orderCount = 30
        let world = try RuntimeWorld("runtime_gp_down", seed: GPSimulatorSeed(functionalCurrency: "USD", customers: [
            RuntimeFlowTests.customer("AARONFIT0001", email: "aaron@example.com"),
        ]))
        struct Seen: Sendable {
            var expected: [String: Decimal] = [:]
            var documentsWhileDown = -1
            var statesWhileDown: [String] = []
            var statusesWhileDown: [String: Int] = [:]
            var errorsWhileDown: [String] = []
            var statuses: [String: Int] = [:]
            var jobs: [(state: String, attempt: Int)] = []
            var documents: [GPSimDocument] = []
            var gpRequestsWhileDown = 0
        }
        let seen = try await onThread { () -> Seen in
            try world.register(maxParallelCalls: 3)
            let tenant = world.tenantID
            let conn = try Connection(world.conninfo)
            _ = try RecordStore().upsert(conn, RecordKey(tenant: tenant, entity: .customer, sourceKey: "AARONFIT0001"),
                                         status: .synced, targetKey: "1", contentHash: "h", matchKey: "aaron@example.com")
            let runtime = Self.runtime(world)
            try runtime.start()
            defer { runtime.shutdown(grace: 5) }
            var seen = Seen()
            // GP goes down (Dexterity restarting: 503) before any order arrives.
            world.gp.injectFaults(GPSimulatorFaults(down: true, failStatus: 503))
            let requestsBefore = world.gp.stats.requests
            for i in 0..<orderCount {
                let placed = world.commerce.placeOrder(email: "aaron@example.com", lines: [
                    CommerceSimOrderLine(sku: "W-\(i)", qty: Double(1 + i % 4), price: 4.5 + Double(i) * 1.13),
                ], shipping: Double(i % 6), tax: Double(i % 3) * 0.87)
                let order = try #require(placed.order)
                let increment = try #require(order["increment_id"] as? String)
                seen.expected[increment] = Decimal(string: String(format: "%.2f", try #require(order["grand_total"] as? Double)))
                let invoice = world.commerce.invoiceOrder(entityId: try #require(order["entity_id"] as? Int)).invoice
                try conn.transaction { tx in
                    let request = OrderPostingRun.Request(incrementId: increment, event: .invoiceCaptured, arrivedVia: .webhook,
                                                          invoiceId: invoice?["entity_id"] as? Int)
                    if case .enqueue(let key, let payload) = try OrderIntake().receive(tx, tenant: tenant, trigger: .invoiceCaptured, request) {
                        _ = try runtime.queue.enqueue(tx, EnqueueRequest(kind: ConnectorJobs.postInvoice, tenantID: tenant,
                                                                         payload: payload, dedupKey: key))
                    }
                }
            }
            func jobs() throws -> [(state: String, attempt: Int)] {
                try conn.query("SELECT state::text AS s, attempt FROM jobs WHERE tenant_id = $1 AND kind = $2 ORDER BY id",
                               tenant, ConnectorJobs.postInvoice).map { (try $0.decode("s"), try $0.decode("attempt")) }
            }
            // Down until every job has failed at least three times; half way the outage turns into 500s.
            var switched = false
            _ = try world.waitFor(90) {
                let all = try jobs()
                if !switched, all.allSatisfy({ $0.attempt >= 2 }) {
                    world.gp.injectFaults(GPSimulatorFaults(down: true, failStatus: 500))
                    switched = true
                }
                return all.count == orderCount && all.allSatisfy { $0.attempt >= 3 }
            }
            seen.statesWhileDown = try jobs().map(\.state)
            seen.documentsWhileDown = world.gp.store.documents.count
            seen.gpRequestsWhileDown = world.gp.stats.requests - requestsBefore
            for row in try conn.query("SELECT status::text AS s, count(*)::int AS n FROM records WHERE tenant_id = $1 AND entity = 'order' GROUP BY 1",
                                      tenant) {
                seen.statusesWhileDown[try row.decode("s")] = try row.decode("n")
            }
            seen.errorsWhileDown = try conn.query("SELECT DISTINCT coalesce(error, '') AS e FROM job_events WHERE event = 'failed'")
                .map { try $0.decode("e") }
            // GP is back; its first three answers are lost after it stored the document (the
            // connection dropped), so some retries meet GP's duplicate-document rule.
            world.gp.injectFaults(GPSimulatorFaults(loseResponseNext: 3))
            func posted() throws -> Int {
                try conn.query("SELECT count(*)::int AS n FROM records WHERE tenant_id = $1 AND entity = 'order' AND status = 'posted'",
                               tenant)[0].decode("n")
            }
            _ = try world.waitFor(120) { try posted() == orderCount }
            _ = try world.waitFor(10) { try jobs().allSatisfy { $0.state == "completed" } }
            Thread.sleep(forTimeInterval: 0.5)
            for row in try conn.query("SELECT status::text AS s, count(*)::int AS n FROM records WHERE tenant_id = $1 AND entity = 'order' GROUP BY 1",
                                      tenant) {
                seen.statuses[try row.decode("s")] = try row.decode("n")
            }
            seen.jobs = try jobs()
            seen.documents = world.gp.store.documents
            return seen
        }
        // While GP was down: every job waiting to retry (none discarded, none parked), nothing in GP.
        #expect(seen.statesWhileDown.count == orderCount)
        #expect(seen.statesWhileDown.allSatisfy { ["retryable", "running", "available"].contains($0) }, "\(seen.statesWhileDown)")
        #expect(seen.statusesWhileDown["needs_attention"] == nil && seen.statusesWhileDown["conflict"] == nil, "\(seen.statusesWhileDown)")
        #expect(seen.documentsWhileDown == 0)
        // Each retry asked GP again (a job's third attempt may still be on its way when counted).
        #expect(seen.gpRequestsWhileDown >= orderCount * 2, "\(seen.gpRequestsWhileDown)")
        #expect(seen.errorsWhileDown.contains { $0.contains("503") })
        #expect(seen.errorsWhileDown.contains { $0.contains("500") })
        // Afterwards: every order posted exactly once, for its total.
        #expect(seen.statuses == ["posted": orderCount])
        #expect(seen.jobs.allSatisfy { $0.state == "completed" && $0.attempt >= 3 })
        #expect(seen.documents.count == orderCount)
        #expect(Set(seen.documents.map(\.documentNumber)).count == seen.documents.count)
        for document in seen.documents {
            #expect(seen.expected[String(document.documentNumber.dropFirst(3))] == document.documentAmount, "\(document.documentNumber)")
        }
    }

    @Test func anItemSyncMeeting429sWaitsOutEachRetryAfterAndWritesTheWholeCatalog() async throws {
        let itemCount = 400
        let world = try RuntimeWorld("runtime_commerce_429", seed: GPSimulatorSeed(
            functionalCurrency: "USD", generate: GPSimGenerate(items: itemCount, priceLevel: "RETAIL", sites: ["MAIN"])))
        struct Seen: Sendable {
            var state: String?
            var events: [AttemptEvent] = []
            var stats: [String: Int] = [:]
            var skus: Set<String> = []
            var synced = 0
            var unchangedOnLastAttempt = 0
        }
        let seen = try await onThread { () -> Seen in
            try world.register(gpSBA: ["page_size": 40])
            // Pages of 40: below the bulk threshold, so every product is its own PUT.
            let runtime = Self.runtime(world, workers: 2)
            try runtime.start()
            defer { runtime.shutdown(grace: 5) }
            let conn = try Connection(world.conninfo)
            // Commerce throttles from the first call: three rounds of two 429s with Retry-After: 1
            // (the client waits one out inline, the second goes back to the queue).
            world.commerce.setLatency(milliseconds: 2)
            world.commerce.injectRateLimit(count: 6, retryAfterSeconds: 1)
            let job = try runtime.queue.enqueue(conn, kind: ConnectorJobs.syncItems, tenant: world.tenantID, payload: #"{"mode":"full"}"#)
            // Once the sync is under way (a few pages recorded), Commerce throttles it again.
            _ = try world.waitFor(60) {
                try conn.query("SELECT count(*)::int AS n FROM records WHERE tenant_id = $1 AND status = 'synced'",
                               world.tenantID)[0].decode("n") >= 120
            }
            world.commerce.injectRateLimit(count: 4, retryAfterSeconds: 1)
            _ = try world.waitFor(120) { try world.jobStates(conn, kind: ConnectorJobs.syncItems) == ["completed"] }
            var seen = Seen()
            seen.state = try world.jobStates(conn, kind: ConnectorJobs.syncItems).first
            seen.events = try Self.events(conn, job: job.job.id)
            seen.stats = world.commerce.stats
            seen.unchangedOnLastAttempt = try conn.query("SELECT coalesce((progress->'counters'->>'unchanged')::int, -1) AS n FROM jobs WHERE id = $1",
                                                         job.job.id)[0].decode("n")
            seen.synced = try conn.query("SELECT count(*)::int AS n FROM records WHERE tenant_id = $1 AND entity = 'item' AND status = 'synced'",
                                         world.tenantID)[0].decode("n")
            return seen
        }
        #expect(seen.state == "completed")
        #expect(seen.stats["rate_limited"] == 10)
        // Every product is in Commerce, every item recorded as synced.
        #expect(seen.stats["products"] == itemCount)
        #expect(seen.synced == itemCount)
        // The attempt after the mid-sync 429 skipped the pages already recorded (their hashes matched).
        #expect(seen.unchangedOnLastAttempt >= 120)
        // The 429s that reached the queue became retries, each started no earlier than Retry-After.
        let failures = seen.events.filter { $0.event == "failed" }
        #expect(failures.count >= 3, "\(seen.events.map { "\($0.attempt) \($0.event) \($0.error ?? "")" })")
        let errors: [String] = failures.map { $0.error ?? "" }
        #expect(errors.allSatisfy { (e: String) -> Bool in e.contains("429") || e.lowercased().contains("rate") }, "\(errors)")
        for failure in failures {
            let next = try #require(seen.events.first { $0.attempt == failure.attempt + 1 && $0.startedAt != nil },
                                    "\(seen.events.map { "\($0.attempt) \($0.event) \(String(describing: $0.startedAt)) \($0.at)" })")
            #expect(next.startedAt!.timeIntervalSince(failure.at) >= 0.95, "attempt \(next.attempt) started too early")
        }
    }
}
