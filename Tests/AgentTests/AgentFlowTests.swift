import Commerce
import Connector
import Foundation
import GP
import HTTPServer
import Postgres
import Queue
import Simulators
import TestSupport
import Testing

/// The whole connector with the tenant in agent mode: the flows run in the server's workers,
/// every GP call travels through the relay to a separate `ml-connector agent` process, which
/// alone holds the GP credentials.
@Suite(.serialized) struct AgentFlowTests {
    static func customer(_ id: String, email: String) -> [String: JSONValue] {
        ["CustomerId": .string(id), "Name": .string("Customer \(id)"), "IsOnHold": .bool(false), "IsActive": .bool(true),
         "Email": .string(email), "ModifiedDate": .string("2026-11-20")]
    }

    static func log(_ name: String) -> URL {
        URL(fileURLWithPath: "/tmp/mlc-agent-test-\(getpid())-\(name).log")
    }

    /// Places and invoices an order in Commerce and announces it (as its webhook would).
    static func announceOrder(_ world: AgentWorld, _ tenant: Tenant, conn: Connection, index i: Int, times: Int = 1) throws -> (String, Decimal) {
        let placed = world.commerce.placeOrder(email: "aaron@example.com", lines: [
            CommerceSimOrderLine(sku: "W-\(i)", qty: Double(1 + i % 3), price: 10 + Double(i) * 0.37),
        ], shipping: Double(i % 7), tax: Double(i % 5) * 1.11)
        let order = try #require(placed.order)
        let invoice = world.commerce.invoiceOrder(entityId: try #require(order["entity_id"] as? Int)).invoice
        let increment = try #require(order["increment_id"] as? String)
        for _ in 0..<times {
            try conn.transaction { tx in
                let request = OrderPostingRun.Request(incrementId: increment, event: .invoiceCaptured, arrivedVia: .webhook,
                                                      invoiceId: invoice?["entity_id"] as? Int)
                if case .enqueue(let key, let payload) = try OrderIntake().receive(tx, tenant: tenant.id.rawValue, trigger: .invoiceCaptured, request) {
                    _ = try world.plane.queue.enqueue(tx, EnqueueRequest(kind: ConnectorJobs.postInvoice, tenantID: tenant.id.rawValue,
                                                                         payload: payload, dedupKey: key))
                }
            }
        }
        let total = try #require(order["grand_total"] as? Double)
        return (increment, try #require(Decimal(string: String(format: "%.2f", total))))
    }

    @Test func itemsCustomersAndOrdersSyncThroughAnAgentProcessAndEachOrderPostsOnce() async throws {
        let world = try AgentWorld("agent_flows", seed: GPSimulatorSeed(
            functionalCurrency: "USD", customers: [Self.customer("AARONFIT0001", email: "aaron@example.com")],
            generate: GPSimGenerate(items: 40, priceLevel: "RETAIL", sites: ["MAIN", "EAST"])))
        defer { world.stop() }
        let log = Self.log("flows")
        defer { try? FileManager.default.removeItem(at: log) }
        let outcome = try await onThread { () -> (items: [String], customers: [String], products: Int?, documents: [GPSimDocument],
                                                 expected: Decimal, agent: [String], ping: Bool, leaked: Int, log: String) in
            let tenant = try world.registerAgentTenant()
            let id = tenant.id.rawValue
            try world.startWorkers()
            try world.spawnAgent(token: try world.agentToken(tenant), log: log)
            let conn = try Connection(world.conninfo)
            _ = try world.plane.queue.enqueue(conn, kind: ConnectorJobs.syncItems, tenant: id, payload: #"{"mode":"full"}"#)
            _ = try world.plane.queue.enqueue(conn, kind: ConnectorJobs.syncCustomers, tenant: id, payload: #"{"mode":"full"}"#)
            _ = try world.waitFor(90) {
                try world.jobStates(conn, tenant: tenant, kind: ConnectorJobs.syncItems) == ["completed"]
                    && world.jobStates(conn, tenant: tenant, kind: ConnectorJobs.syncCustomers) == ["completed"]
            }
            // The same invoice event twice (Commerce retrying its hook): one GP document.
            let (increment, expected) = try Self.announceOrder(world, tenant, conn: conn, index: 1, times: 2)
            let key = RecordKey(tenant: id, entity: .order, sourceKey: increment)
            _ = try world.waitFor(60) { try RecordStore().record(conn, key)?.status == .posted }
            Thread.sleep(forTimeInterval: 0.5)
            // The tenant shows its agent's heartbeat and the agent's own GP ping.
            _ = try world.waitFor(20) {
                let agent = try world.request("GET", "/v1/tenants/\(id)", token: world.adminToken).body["agent"] as? [String: Any]
                return ((agent?["gp_ping"] as? [String: Any])?["ok"] as? Bool) == true
            }
            let status = try world.request("GET", "/v1/tenants/\(id)", token: world.adminToken).body["agent"] as? [String: Any] ?? [:]
            let agent = [status["version"] as? String ?? "", status["last_seen"] as? String ?? "",
                         ((status["gp_ping"] as? [String: Any])?["ok"] as? Bool) == true ? "ping ok" : "no ping"]
            // Ping through the agent: the server itself cannot authenticate to GP.
            let ping = try world.request("POST", "/v1/tenants/\(id)/ping", token: world.adminToken).body["gp"] as? [String: Any] ?? [:]
            let pingOK = ping["ok"] as? Bool == true
            // No relayed call ever carried the password or an Authorization header.
            let leaked: Int = try conn.query("""
                SELECT count(*)::int AS n FROM agent_calls
                 WHERE headers::text ILIKE '%authorization%' OR position($1 IN url) > 0
                    OR position(convert_to($1, 'UTF8') IN coalesce(body, '')) > 0
                """, AgentWorld.gpPassword)[0].decode("n")
            return (try world.jobStates(conn, tenant: tenant, kind: ConnectorJobs.syncItems),
                    try world.jobStates(conn, tenant: tenant, kind: ConnectorJobs.syncCustomers),
                    world.commerce.stats["products"], world.gp.store.documents, expected, agent, pingOK, leaked,
                    (try? String(contentsOf: log, encoding: .utf8)) ?? "")
        }
        #expect(outcome.items == ["completed"], "\(outcome.log.suffix(3000))")
        #expect(outcome.customers == ["completed"])
        #expect(outcome.products == 40)
        #expect(outcome.documents.count == 1)
        #expect(outcome.documents.first?.customerId == "AARONFIT0001")
        #expect(outcome.documents.first?.documentAmount == outcome.expected)
        #expect(outcome.agent[0] == "ml-connector-agent/1.0")
        #expect(!outcome.agent[1].isEmpty)
        #expect(outcome.agent[2] == "ping ok")
        #expect(outcome.ping)
        #expect(outcome.leaked == 0)
        #expect(!outcome.log.contains(AgentWorld.gpPassword))
    }

    @Test func ordersWaitWhileTheAgentIsKilledAndPostExactlyOnceAfterItRestarts() async throws {
        let orderCount = 16
        let world = try AgentWorld("agent_kill", seed: GPSimulatorSeed(
            functionalCurrency: "USD", customers: [Self.customer("AARONFIT0001", email: "aaron@example.com")]))
        defer { world.stop() }
        let log = Self.log("kill")
        defer { try? FileManager.default.removeItem(at: log) }
        let outcome = try await onThread { () -> (expected: [String: Decimal], documents: [GPSimDocument], postedWhileDown: Int,
                                                 states: [String], log: String) in
            let tenant = try world.registerAgentTenant()
            let id = tenant.id.rawValue
            let conn = try Connection(world.conninfo)
            _ = try RecordStore().upsert(conn, RecordKey(tenant: id, entity: .customer, sourceKey: "AARONFIT0001"),
                                         status: .synced, targetKey: "1", contentHash: "h", matchKey: "aaron@example.com")
            var expected: [String: Decimal] = [:]
            for i in 0..<orderCount {
                let (increment, amount) = try Self.announceOrder(world, tenant, conn: conn, index: i)
                expected[increment] = amount
            }
            func posted() throws -> Int {
                try conn.query("SELECT count(*)::int AS n FROM records WHERE tenant_id = $1 AND entity = 'order' AND status = 'posted'",
                               id)[0].decode("n")
            }
            // Slow GP so the kill lands with calls in flight (some reach GP, their answer never returns).
            world.gp.setLatency(ms: 150)
            try world.startWorkers()
            let token = try world.agentToken(tenant)
            let first = try world.spawnAgent(token: token, log: log)
            _ = try world.waitFor(60) { try posted() >= 3 }
            first.killAndReap()
            // With no agent, calls expire as agent offline and the jobs back off; nothing posts.
            let atKill = try posted()
            Thread.sleep(forTimeInterval: 6)
            let postedWhileDown = try posted() - atKill
            try world.spawnAgent(token: token, log: log)
            _ = try world.waitFor(120) { try posted() == orderCount }
            Thread.sleep(forTimeInterval: 0.5)
            let states = try world.jobStates(conn, tenant: tenant, kind: ConnectorJobs.postInvoice)
            return (expected, world.gp.store.documents, postedWhileDown, states, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
        }
        #expect(outcome.documents.count == orderCount, "\(outcome.log.suffix(3000))")
        #expect(Set(outcome.documents.map { (d: GPSimDocument) in d.documentNumber }).count == outcome.documents.count)
        for document in outcome.documents {
            #expect(outcome.expected[String(document.documentNumber.dropFirst(3))] == document.documentAmount)
        }
        // At most a posting already past GP when the agent died can complete while it is down.
        #expect(outcome.postedWhileDown <= 2)
        #expect(outcome.states.allSatisfy { $0 == "completed" }, "\(outcome.states)")
    }

    @Test func aSlowGPCallDoesNotHoldUpTheAgentsOtherCalls() async throws {
        let world = try AgentWorld("agent_slow")
        defer { world.stop() }
        let log = Self.log("slow")
        defer { try? FileManager.default.removeItem(at: log) }
        let order = try await onThread { () -> [String] in
            let tenant = try world.registerAgentTenant()
            // One GP ping at start (seen on the tenant), then none during the test.
            try world.spawnAgent(token: try world.agentToken(tenant), log: log, concurrency: 2, pingInterval: 3600)
            let conn = try Connection(world.conninfo)
            _ = try world.waitFor(20) { try AgentStatusStore().status(conn, tenant: tenant.id.rawValue)?.gpPing != nil }
            // The next GP request takes 6 s; the one after it none.
            world.gp.injectFaults(GPSimulatorFaults(slowNext: 1, slowMs: 6000))
            let finished = OrderBox()
            let transport = world.relay.transport(tenant: tenant.id.rawValue)
            let help = GPRequest(method: "GET", url: world.gp.companyURL(company: "Fabrikam, Inc.") + "help", timeout: 30)
            let group = DispatchGroup()
            for name in ["slow", "fast"] {
                group.enter()
                Thread {
                    _ = try? transport.send(help)
                    finished.append(name)
                    group.leave()
                }.start()
                // The slow call goes first, so it is the one GP delays.
                _ = try? world.waitFor(5) { world.gp.stats.inFlight > 0 || name == "fast" }
            }
            group.wait()
            return finished.get()
        }
        #expect(order == ["fast", "slow"])
    }

    @Test func aGPAnswerLargerThanTheServerAcceptsFailsTheCallInsteadOfRetryingForever() async throws {
        let world = try AgentWorld("agent_large", seed: GPSimulatorSeed(
            functionalCurrency: "USD", generate: GPSimGenerate(items: 60, priceLevel: "RETAIL", sites: ["MAIN"])),
            planeConfig: { $0.maxAgentResultBodyBytes = 4096 })
        defer { world.stop() }
        let log = Self.log("large")
        defer { try? FileManager.default.removeItem(at: log) }
        let (small, large) = try await onThread { () -> (Int?, GPError?) in
            let tenant = try world.registerAgentTenant()
            try world.spawnAgent(token: try world.agentToken(tenant), log: log)
            let transport = world.relay.transport(tenant: tenant.id.rawValue)
            let company = world.gp.companyURL(company: "Fabrikam, Inc.")
            let help = try? transport.send(GPRequest(method: "GET", url: try GPCompany(url: company).helpURL(), timeout: 30))
            var caught: GPError?
            do { _ = try transport.send(GPRequest(method: "GET", url: company + "Inventory/Items", timeout: 30)) } catch let e as GPError {
                caught = e
            } catch {}
            return (help?.status, caught)
        }
        #expect(small == 200)
        #expect(large?.code == "gp_bad_response")
    }
}

final class OrderBox: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [String] = []
    func append(_ n: String) { lock.lock(); names.append(n); lock.unlock() }
    func get() -> [String] { lock.lock(); defer { lock.unlock() }; return names }
}
