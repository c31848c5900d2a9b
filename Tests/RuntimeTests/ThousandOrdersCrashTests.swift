import Connector
import Foundation
import Glibc
import Postgres
import Simulators
import Testing
import TestSupport

/// The issue's reliability bar, end to end with real processes: 1,000 orders announced by signed
/// Commerce webhooks to a real `ml-connector serve` (API only), one in ten announced twice, one in
/// ten never announced (only the `poll_orders` backstop can find those), while an `ml-connector worker`
/// process is killed with SIGKILL every 1.5–2.5 s and restarted (a second one keeps running). GP must end with
/// exactly one RM invoice per order, each for the order's grand total to the cent.
///
/// The simulator's invoice hook carries the invoice as Commerce sends it (`order_id`, no order
/// increment id): the receiver stores it with a `resolve_invoice` job, which reads the order and
/// enqueues the posting (the trigger is "invoice captured"; the order-placed hook only notes the
/// record). The backstop poll enqueues under the same keys; the assertions hold whichever path
/// posts an order.
@Suite(.serialized) struct ThousandOrdersCrashTests {
    static let orderCount = 1000

    /// `ml-connector serve --workers 0`: the API and webhook receiver only; its port from the log.
    static func spawnAPI(_ world: RuntimeWorld, log: URL) throws -> (Process, Int) {
        let process = Process()
        process.executableURL = DemoCommandTests.executable
        process.arguments = ["serve", "--database-url", world.conninfo, "--port", "0", "--workers", "0",
                             "--schema-dir", RuntimeWorld.schemaDirectory.path]
        var env = ProcessInfo.processInfo.environment
        env["MLC_MASTER_KEY"] = world.masterKey.exportBase64()
        env.removeValue(forKey: "MLC_MASTER_KEY_FILE")
        process.environment = env
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var port = 0
        _ = try world.waitFor(60) {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            guard let line = text.split(separator: "\n").first(where: { $0.contains("\"msg\":\"listening\"") }),
                  let range = line.range(of: #""port":"?(\d+)"#, options: .regularExpression) else { return !process.isRunning }
            port = Int(line[range].filter(\.isNumber)) ?? 0
            return true
        }
        return (process, port)
    }

    /// Places and invoices every order through the Commerce simulator, whose signed webhooks go to
    /// the API; returns the grand total of each increment id and the ones sent without a webhook.
    /// The silent tenth goes first with no webhook configured; the rest from four shoppers at once
    /// (each checkout waits for its webhook's answer, as in Commerce).
    static func placeOrders(_ world: RuntimeWorld, webhookURL: String) -> (expected: [String: Decimal], silent: Set<String>) {
        final class Placed: @unchecked Sendable {
            let lock = NSLock()
            var expected: [String: Decimal] = [:]
            var silent: Set<String> = []
        }
        let placed = Placed()
        @Sendable func place(_ i: Int, silent: Bool) {
            let placement = world.commerce.placeOrder(email: "aaron@example.com", lines: [
                CommerceSimOrderLine(sku: "W-\(i % 50)", qty: Double(1 + i % 3), price: 3 + Double(i % 97) * 0.61),
                CommerceSimOrderLine(sku: "X-\(i % 7)", qty: 1, price: Double(i % 13) + 0.99),
            ], shipping: Double(i % 9) * 1.25, tax: Double(i % 5) * 1.07, discount: i % 4 == 0 ? 1.5 : 0)
            guard let order = placement.order, let entity = order["entity_id"] as? Int,
                  let increment = order["increment_id"] as? String, let grand = order["grand_total"] as? Double else {
                Issue.record("order \(i) was not placed: \(placement.errorMessage ?? "?") \(placement.webhook ?? [:])")
                return
            }
            placed.lock.withLock {
                placed.expected[increment] = Decimal(string: String(format: "%.2f", grand))
                if silent { placed.silent.insert(increment) }
            }
            let invoice = world.commerce.invoiceOrder(entityId: entity).invoice
            // One in ten invoice events arrives twice (Commerce retrying its hook).
            if i % 10 == 0, let id = invoice?["entity_id"] as? Int { _ = world.commerce.redeliverInvoiceWebhook(invoiceId: id) }
        }
        world.commerce.webhook = nil
        for i in 0..<orderCount where i % 10 == 5 { place(i, silent: true) }
        world.commerce.webhook = CommerceSimulatorConfig.Webhook(url: webhookURL, timeoutMs: 10_000)
        let shoppers = 4
        let done = DispatchSemaphore(value: 0)
        for shopper in 0..<shoppers {
            let thread = Thread {
                for i in stride(from: shopper, to: orderCount, by: shoppers) where i % 10 != 5 { place(i, silent: false) }
                done.signal()
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
        for _ in 0..<shoppers { done.wait() }
        return placed.lock.withLock { (placed.expected, placed.silent) }
    }

    @Test func aThousandWebhookOrdersWithDuplicatesAndSilentOnesPostExactlyOnceWhileWorkersAreKilled() async throws {
        let world = try RuntimeWorld("runtime_thousand", seed: GPSimulatorSeed(functionalCurrency: "USD", customers: [
            ["CustomerId": .string("AARONFIT0001"), "Name": .string("Aaron Fitz"), "IsOnHold": .bool(false), "IsActive": .bool(true)],
        ]))
        struct Outcome: Sendable {
            var expected: [String: Decimal] = [:]
            var silent: Set<String> = []
            var documents: [GPSimDocument] = []
            var kills = 0
            var postedWhileKilling = 0
            var statuses: [String: Int] = [:]
            var arrival: [String: String] = [:]
            var webhooks: [String: Int] = [:]
            var resolveJobs = 0
            var log = ""
        }
        let outcome = try await onThread { () -> Outcome in
            try world.register(maxParallelCalls: 3, webhookKey: true)
            let tenant = world.tenantID
            let conn = try Connection(world.conninfo)
            _ = try RecordStore().upsert(conn, RecordKey(tenant: tenant, entity: .customer, sourceKey: "AARONFIT0001"),
                                         status: .synced, targetKey: "1", contentHash: "h", matchKey: "aaron@example.com")
            let token = try TokenStore(pool: world.pool).issue(scope: .admin, name: "test").bearer
            let logURL = URL(fileURLWithPath: "/tmp/mlc-thousand-\(getpid()).log")
            FileManager.default.createFile(atPath: logURL.path, contents: nil)
            defer { try? FileManager.default.removeItem(at: logURL) }
            let (api, port) = try Self.spawnAPI(world, log: logURL)
            defer { api.killAndReap() }
            guard port > 0 else {
                Issue.record("the API did not start")
                return Outcome(log: (try? String(contentsOf: logURL, encoding: .utf8)) ?? "")
            }
            let base = "http://127.0.0.1:\(port)"
            // Some GP latency, so kills land mid-posting (also between GP's answer and our record).
            world.gp.setLatency(ms: 15)

            final class Placing: @unchecked Sendable {
                var result: (expected: [String: Decimal], silent: Set<String>)?
                let done = DispatchSemaphore(value: 0)
            }
            let placing = Placing()
            let placer = Thread {
                placing.result = Self.placeOrders(world, webhookURL: base + "/v1/webhooks/commerce/\(tenant)")
                placing.done.signal()
            }
            placer.stackSize = 4 << 20
            placer.start()

            func posted() throws -> Int {
                try conn.query("SELECT count(*)::int AS n FROM records WHERE tenant_id = $1 AND entity = 'order' AND status = 'posted'",
                               tenant)[0].decode("n")
            }
            // A steady worker, and a second one killed with SIGKILL every 1.5–2.5 s and started
            // again: its jobs (postings, a backstop poll) die mid-flight and are rescued when their
            // 3 s lease runs out, by the steady worker or by the next incarnation.
            let steady = try WorkerCrashTests.spawnWorker(world, log: logURL)
            var victim = try WorkerCrashTests.spawnWorker(world, log: logURL)
            var kills = 0
            var placedAll = false
            var backstopAsked = false
            let deadline = Date().addingTimeInterval(420)
            while Date() < deadline, try posted() < Self.orderCount, kills < 80 {
                Thread.sleep(forTimeInterval: 1.5 + Double(kills % 3) * 0.5)
                victim.killAndReap()
                victim = try WorkerCrashTests.spawnWorker(world, log: logURL)
                kills += 1
                if !placedAll, placing.done.wait(timeout: .now()) == .success { placedAll = true }
                if placedAll {
                    // The backstop, as its schedule would: asked again while orders remain unposted
                    // (one live poll per tenant: asking while one runs answers that job). The poll
                    // reads `updated_at < now` at second precision: let the last second pass first.
                    if !backstopAsked { Thread.sleep(forTimeInterval: 1.1) }
                    let (status, _) = try ServeRuntimeTests.http("POST", base + "/v1/tenants/\(tenant)/syncs", token: token,
                                                                 body: Data(#"{"entity":"invoices"}"#.utf8))
                    #expect(status == 202)
                    backstopAsked = true
                }
            }
            let postedWhileKilling = try posted()
            if !placedAll { placing.done.wait() }
            // No more kills: the last two workers finish (the backstop asked again every 10 s).
            var waited = 0
            _ = try world.waitFor(180) {
                waited += 1
                if waited % 200 == 0 {
                    _ = try ServeRuntimeTests.http("POST", base + "/v1/tenants/\(tenant)/syncs", token: token,
                                                   body: Data(#"{"entity":"invoices"}"#.utf8))
                }
                return try posted() == Self.orderCount
            }
            // Give any job that slipped through time to post a second document.
            Thread.sleep(forTimeInterval: 1)
            steady.killAndReap()
            victim.killAndReap()

            var out = Outcome()
            out.expected = placing.result?.expected ?? [:]
            out.silent = placing.result?.silent ?? []
            out.documents = world.gp.store.documents
            out.kills = kills
            out.postedWhileKilling = postedWhileKilling
            for row in try conn.query("SELECT status::text AS s, count(*)::int AS n FROM records WHERE tenant_id = $1 AND entity = 'order' GROUP BY 1",
                                      tenant) {
                out.statuses[try row.decode("s")] = try row.decode("n")
            }
            for row in try conn.query("SELECT source_key AS k, arrived_via::text AS v FROM records WHERE tenant_id = $1 AND entity = 'order'",
                                      tenant) {
                out.arrival[try row.decode("k")] = try row.decode("v")
            }
            out.resolveJobs = try conn.query("SELECT count(*)::int FROM jobs WHERE tenant_id = $1 AND kind = 'resolve_invoice' AND state = 'completed'",
                                             tenant)[0].decode(0)
            out.webhooks = world.commerce.stats
            out.log = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
            return out
        }
        print("1,000-order crash test: \(outcome.kills) SIGKILLs, \(outcome.postedWhileKilling) orders posted while killing, "
              + "\(outcome.documents.count) GP documents")
        #expect(outcome.expected.count == Self.orderCount)
        #expect(outcome.silent.count == Self.orderCount / 10)
        // Most of the posting happened while the victim was being killed.
        #expect(outcome.kills >= 5)
        #expect(outcome.postedWhileKilling >= Self.orderCount / 2, "only \(outcome.postedWhileKilling) posted during the kills")
        // 900 orders × 2 events + 100 redelivered invoice events, all answered by the receiver.
        #expect(outcome.webhooks["webhooks_sent"] == 1900)
        #expect(outcome.webhooks["webhooks_failed"] == 0)
        #expect(outcome.statuses == ["posted": Self.orderCount], "\(outcome.log.suffix(3000))")
        // Invoice hooks were resolved to their orders (most of them before the backstop saw them).
        #expect(outcome.resolveJobs > 0)
        // The orders whose webhook never came were found by the poll alone.
        #expect(outcome.silent.allSatisfy { outcome.arrival[$0] == "poll" })
        #expect(outcome.arrival.filter { $0.value == "poll" }.count == outcome.silent.count)

        // GP's own store: one document per order, none twice, each for the order's total.
        #expect(outcome.documents.count == Self.orderCount)
        #expect(Set(outcome.documents.map(\.documentNumber)).count == outcome.documents.count)
        var seen: Set<String> = []
        for document in outcome.documents {
            let increment = String(document.documentNumber.dropFirst(3))  // "WEB" + increment id
            seen.insert(increment)
            #expect(outcome.expected[increment] == document.documentAmount, "\(document.documentNumber)")
            #expect(document.customerId == "AARONFIT0001")
        }
        #expect(seen == Set(outcome.expected.keys))
    }
}
