import Connector
import Foundation
import Postgres
import Queue
import Simulators
import TestSupport
import Testing

/// The tenant's `gp.agent_credentials` decides whose GP credentials the agent process uses:
/// `server` sends the stored ones in the heartbeat reply (an agent with none of its own then
/// works), `agent` uses the agent's own (and an agent without any says so on every call and in
/// its ping). The stored password appears in no queued call, server log line or tenant document.
@Suite(.serialized) struct AgentCredentialsModeTests {
    static func log(_ name: String) -> URL {
        URL(fileURLWithPath: "/tmp/mlc-agent-test-\(getpid())-\(name).log")
    }

    static func leakedCalls(_ conn: Connection) throws -> Int {
        try conn.query("""
            SELECT count(*)::int AS n FROM agent_calls
             WHERE headers::text ILIKE '%authorization%' OR position($1 IN url) > 0 OR position($1 IN headers::text) > 0
                OR position(convert_to($1, 'UTF8') IN coalesce(body, '')) > 0
            """, AgentWorld.gpPassword)[0].decode("n")
    }

    /// The string and boolean fields of an answer (Sendable, for leaving the thread).
    static func strings(_ object: [String: Any]) -> [String: String] {
        object.compactMapValues { value in (value as? String) ?? (value as? Bool).map { "\($0)" } }
    }

    static func ping(_ world: AgentWorld, _ id: String) throws -> [String: Any] {
        let agent = try world.request("GET", "/v1/tenants/\(id)", token: world.adminToken).body["agent"] as? [String: Any]
        return agent?["gp_ping"] as? [String: Any] ?? [:]
    }

    @Test func anAgentWithNoCredentialsOfItsOwnSyncsItemsWithTheServersWhenTheTenantSaysServer() async throws {
        let world = try AgentWorld("agent_creds_server", seed: GPSimulatorSeed(
            functionalCurrency: "USD", generate: GPSimGenerate(items: 12, priceLevel: "RETAIL", sites: ["MAIN"])), captureLogs: true)
        defer { world.stop() }
        let log = Self.log("creds-server")
        defer { try? FileManager.default.removeItem(at: log) }
        let outcome = try await onThread { () -> (states: [String], products: Int?, ping: Bool, leaked: Int, tenantText: String,
                                                 jobErrors: String, mode: String?, viaHTTP: [String: String], plainHTTP: [String: String],
                                                 agentLog: String) in
            let tenant = try world.registerAgentTenant(agentCredentials: "server")
            let id = tenant.id.rawValue
            try world.startWorkers()
            let token = try world.agentToken(tenant)
            try world.spawnAgent(token: token, log: log, localCredentials: false)
            let conn = try Connection(world.conninfo)
            _ = try world.plane.queue.enqueue(conn, kind: ConnectorJobs.syncItems, tenant: id, payload: #"{"mode":"full"}"#)
            _ = try world.waitFor(90) { try world.jobStates(conn, tenant: tenant, kind: ConnectorJobs.syncItems) == ["completed"] }
            _ = try world.waitFor(20) { try Self.ping(world, id)["ok"] as? Bool == true }
            let ping = try Self.ping(world, id)["ok"] as? Bool == true
            let get = try world.request("GET", "/v1/tenants/\(id)", token: world.adminToken)
            let tenantText = String(decoding: try JSONSerialization.data(withJSONObject: get.body), as: UTF8.self)
            let jobErrors: [String] = try conn.query("SELECT coalesce(last_error, '') AS e FROM jobs WHERE tenant_id = $1", id)
                .map { try $0.decode("e") }
            // The reply itself: the stored credentials to this tenant's agent over a safe channel,
            // withheld when the agent says its channel is plain http to another machine.
            let beat = #"{"agent_id":"probe","version":"t","hostname":"h","in_flight":[]}"#
            let viaHTTP = try world.request("POST", "/v1/agent/heartbeat", token: token, json: beat).body
            let insecure = #"{"agent_id":"probe","version":"t","hostname":"h","in_flight":[],"insecure_transport":true}"#
            let plainHTTP = try world.request("POST", "/v1/agent/heartbeat", token: token, json: insecure).body
            return (try world.jobStates(conn, tenant: tenant, kind: ConnectorJobs.syncItems), world.commerce.stats["products"], ping,
                    try Self.leakedCalls(conn), tenantText, jobErrors.joined(separator: "\n"),
                    (get.body["gp"] as? [String: Any])?["agent_credentials"] as? String,
                    Self.strings(viaHTTP["credentials"] as? [String: Any] ?? [:]), Self.strings(plainHTTP["credentials"] as? [String: Any] ?? [:]),
                    (try? String(contentsOf: log, encoding: .utf8)) ?? "")
        }
        #expect(outcome.states == ["completed"], "\(outcome.agentLog.suffix(3000))")
        #expect(outcome.products == 12)
        #expect(outcome.ping)
        #expect(outcome.mode == "server")
        #expect(outcome.viaHTTP["source"] == "server")
        #expect(outcome.viaHTTP["username"] == AgentWorld.gpUser)
        #expect(outcome.viaHTTP["password"] == AgentWorld.gpPassword)
        #expect(outcome.plainHTTP["source"] == "server")
        #expect(outcome.plainHTTP["password"] == nil)
        #expect((outcome.plainHTTP["withheld"] ?? "").contains("plain http"))
        #expect(outcome.agentLog.contains("gp_credentials=server") || outcome.agentLog.contains("\"gp_credentials\":\"server\""))
        #expect(outcome.leaked == 0)
        #expect(!outcome.tenantText.contains(AgentWorld.gpPassword))
        #expect(outcome.tenantText.contains("password_set"))
        #expect(!outcome.jobErrors.contains(AgentWorld.gpPassword))
        #expect(!outcome.agentLog.contains(AgentWorld.gpPassword))
        #expect(!world.serverLog.text.isEmpty)
        #expect(!world.serverLog.text.contains(AgentWorld.gpPassword))
    }

    @Test func inAgentModeAnAgentWithoutCredentialsSaysSoOnEachCallUntilAPatchSwitchesTheTenantToServer() async throws {
        let world = try AgentWorld("agent_creds_switch", seed: GPSimulatorSeed(
            functionalCurrency: "USD", generate: GPSimGenerate(items: 8, priceLevel: "RETAIL", sites: ["MAIN"])), captureLogs: true)
        defer { world.stop() }
        let log = Self.log("creds-switch")
        defer { try? FileManager.default.removeItem(at: log) }
        let outcome = try await onThread { () -> (pingBefore: [String: String], failedState: [String], lastError: String, alive: Bool,
                                                 patch: Int, pingAfter: Bool, states: [String], products: Int?, leaked: Int,
                                                 tenantText: String, agentLog: String) in
            let tenant = try world.registerAgentTenant()
            let id = tenant.id.rawValue
            try world.startWorkers()
            let agent = try world.spawnAgent(token: try world.agentToken(tenant), log: log, localCredentials: false)
            let conn = try Connection(world.conninfo)
            // The agent's own ping says what is missing.
            _ = try world.waitFor(20) { (try Self.ping(world, id)["message"] as? String ?? "").contains("no GP credentials") }
            let pingBefore = Self.strings(try Self.ping(world, id))
            // The sync's GP calls fail with the same sentence; the job backs off (or gives up), nothing crashes.
            _ = try world.plane.queue.enqueue(conn, kind: ConnectorJobs.syncItems, tenant: id, payload: #"{"mode":"full"}"#)
            _ = try world.waitFor(60) {
                let states = try world.jobStates(conn, tenant: tenant, kind: ConnectorJobs.syncItems)
                return states.count == 1 && ["retryable", "discarded"].contains(states[0])
            }
            let failedState = try world.jobStates(conn, tenant: tenant, kind: ConnectorJobs.syncItems)
            let lastError: String = try conn.query("SELECT coalesce(last_error, '') AS e FROM jobs WHERE tenant_id = $1 AND kind = $2",
                                                   id, ConnectorJobs.syncItems)[0].decode("e")
            let alive = agent.isRunning
            // The administrator stores the credentials and switches the tenant: the next
            // heartbeat carries them, and the agent's ping and the calls succeed.
            let patch = try world.request("PATCH", "/v1/tenants/\(id)", token: world.adminToken, json: """
                {"gp": {"agent_credentials": "server", "username": \(String(data: try JSONEncoder().encode(AgentWorld.gpUser), encoding: .utf8)!),
                        "password": "\(AgentWorld.gpPassword)"}}
                """)
            let pingAfter = try world.waitFor(20) { try Self.ping(world, id)["ok"] as? Bool == true }
            // Run the waiting sync now instead of after its backoff.
            try conn.execute("UPDATE jobs SET state = 'available', run_at = now() WHERE tenant_id = $1 AND state IN ('retryable', 'discarded')", id)
            _ = try world.waitFor(90) { try world.jobStates(conn, tenant: tenant, kind: ConnectorJobs.syncItems) == ["completed"] }
            let get = try world.request("GET", "/v1/tenants/\(id)", token: world.adminToken)
            return (pingBefore, failedState, lastError, alive, patch.status, pingAfter,
                    try world.jobStates(conn, tenant: tenant, kind: ConnectorJobs.syncItems), world.commerce.stats["products"],
                    try Self.leakedCalls(conn), String(decoding: try JSONSerialization.data(withJSONObject: get.body), as: UTF8.self),
                    (try? String(contentsOf: log, encoding: .utf8)) ?? "")
        }
        #expect(outcome.pingBefore["ok"] == "false")
        #expect((outcome.pingBefore["message"] ?? "").contains("gp.agent_credentials to server"), "\(outcome.pingBefore)")
        #expect(outcome.failedState.count == 1 && ["retryable", "discarded"].contains(outcome.failedState.first ?? ""),
                "\(outcome.failedState) \(outcome.agentLog.suffix(2000))")
        #expect(outcome.lastError.contains("This agent has no GP credentials"), "\(outcome.lastError)")
        #expect(outcome.alive)
        #expect(outcome.patch == 200)
        #expect(outcome.pingAfter)
        #expect(outcome.states == ["completed"], "\(outcome.agentLog.suffix(3000))")
        #expect(outcome.products == 8)
        #expect(outcome.leaked == 0)
        #expect(outcome.tenantText.contains(#""agent_credentials":"server""#))
        #expect(!outcome.tenantText.contains(AgentWorld.gpPassword))
        #expect(!outcome.agentLog.contains(AgentWorld.gpPassword))
        #expect(!world.serverLog.text.contains(AgentWorld.gpPassword))
    }

    @Test func inServerModeTheServersCredentialsWinOverTheAgentsOwnWithOneWarning() async throws {
        let world = try AgentWorld("agent_creds_both", seed: GPSimulatorSeed(
            functionalCurrency: "USD", generate: GPSimGenerate(items: 6, priceLevel: "RETAIL", sites: ["MAIN"])))
        defer { world.stop() }
        let log = Self.log("creds-both")
        defer { try? FileManager.default.removeItem(at: log) }
        let (states, products, agentLog) = try await onThread { () -> ([String], Int?, String) in
            let tenant = try world.registerAgentTenant(agentCredentials: "server")
            try world.startWorkers()
            // The agent's own credentials are wrong: GP (the simulator checks them) would refuse them.
            try world.spawnAgent(token: try world.agentToken(tenant), log: log, localCredentials: false,
                                 extra: ["--gp-username", #"DEMO\someone-else"#, "--gp-password", "Wrong-local-pw"])
            let conn = try Connection(world.conninfo)
            _ = try world.plane.queue.enqueue(conn, kind: ConnectorJobs.syncItems, tenant: tenant.id.rawValue, payload: #"{"mode":"full"}"#)
            _ = try world.waitFor(90) { try world.jobStates(conn, tenant: tenant, kind: ConnectorJobs.syncItems) == ["completed"] }
            Thread.sleep(forTimeInterval: 1.5)  // a few more heartbeats and pings: still one warning
            return (try world.jobStates(conn, tenant: tenant, kind: ConnectorJobs.syncItems), world.commerce.stats["products"],
                    (try? String(contentsOf: log, encoding: .utf8)) ?? "")
        }
        #expect(states == ["completed"], "\(agentLog.suffix(3000))")
        #expect(products == 6)
        #expect(agentLog.components(separatedBy: "uses the GP credentials stored on the server").count - 1 == 1, "\(agentLog.suffix(3000))")
        #expect(!agentLog.contains(AgentWorld.gpPassword))
    }
}
