import Connector
import Foundation
import Glibc
import Postgres
import Queue
import Simulators
import TestSupport
import Testing

/// `ml-connector agent` as an operator runs it: credentials handling and staying connected
/// through a server restart.
@Suite(.serialized) struct AgentCommandTests {
    static func run(_ arguments: [String], env: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let log = URL(fileURLWithPath: "/tmp/mlc-agent-cmd-\(getpid())-\(UUID().uuidString.prefix(6)).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let process = Process()
        process.executableURL = AgentWorld.executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for key in ["MLC_GP_USERNAME", "MLC_GP_PASSWORD", "MLC_AGENT_TOKEN", "MLC_AGENT_SERVER"] { environment.removeValue(forKey: key) }
        for (k, v) in env { environment[k] = v }
        process.environment = environment
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let status = process.waitForExit(timeout: 60)
        return (status, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    @Test func aCredentialsFileOthersCanReadIsRefusedWithoutShowingThePassword() async throws {
        let (status, output) = try await onThread { () -> (Int32, String) in
            let path = "/tmp/mlc-agent-creds-\(getpid())"
            try "username=DEMO\\svc-gp\npassword=Very-secret-1\n".write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            chmod(path, 0o640)
            return try Self.run(["agent", "--server", "https://connector.example.com", "--token", "mlc_x", "--gp-credentials-file", path])
        }
        #expect(status != 0)
        #expect(output.contains("chmod 600"), "\(output)")
        #expect(!output.contains("Very-secret-1"))
    }

    @Test func aGPPasswordWithoutAUserIsRefusedWithoutShowingIt() async throws {
        let (status, output) = try await onThread {
            try Self.run(["agent", "--server", "https://connector.example.com", "--token", "mlc_x"], env: ["MLC_GP_PASSWORD": "Lonely-pw-9"])
        }
        #expect(status != 0)
        #expect(output.contains("without a user"), "\(output)")
        #expect(!output.contains("Lonely-pw-9"))
    }

    @Test func aPlainHTTPServerURLOffThisMachineIsRefused() async throws {
        let (status, output) = try await onThread {
            try Self.run(["agent", "--server", "http://connector.example.com", "--token", "mlc_x"], env: ["MLC_GP_USERNAME": "DEMO\\u"])
        }
        #expect(status != 0)
        #expect(output.contains("must use https"), "\(output)")
    }

    @Test func theAgentReconnectsAfterTheServerRestartsAndKeepsRelaying() async throws {
        let world = try AgentWorld("agent_reconnect", seed: GPSimulatorSeed(
            functionalCurrency: "USD", generate: GPSimGenerate(items: 10, priceLevel: "RETAIL", sites: ["MAIN"])))
        defer { world.stop() }
        let log = URL(fileURLWithPath: "/tmp/mlc-agent-test-\(getpid())-reconnect.log")
        defer { try? FileManager.default.removeItem(at: log) }
        let (states, products, running, output) = try await onThread { () -> ([String], Int?, Bool, String) in
            let tenant = try world.registerAgentTenant()
            // A credentials file readable by its owner only, instead of the environment.
            let creds = "/tmp/mlc-agent-creds-ok-\(getpid())"
            try "username=\(AgentWorld.gpUser)\npassword=\(AgentWorld.gpPassword)\n".write(toFile: creds, atomically: true, encoding: .utf8)
            chmod(creds, 0o600)
            defer { try? FileManager.default.removeItem(atPath: creds) }
            let agent = try world.spawnAgent(token: try world.agentToken(tenant), log: log, extra: ["--gp-credentials-file", creds])
            try world.startWorkers()
            let conn = try Connection(world.conninfo)
            _ = try world.waitFor(20) { try AgentStatusStore().status(conn, tenant: tenant.id.rawValue) != nil }
            // The server goes away for a while (the agent's polls and heartbeats fail), then comes back.
            try world.restartServer(downFor: 3)
            _ = try world.plane.queue.enqueue(conn, kind: ConnectorJobs.syncItems, tenant: tenant.id.rawValue, payload: #"{"mode":"full"}"#)
            _ = try world.waitFor(60) { try world.jobStates(conn, tenant: tenant, kind: ConnectorJobs.syncItems) == ["completed"] }
            return (try world.jobStates(conn, tenant: tenant, kind: ConnectorJobs.syncItems), world.commerce.stats["products"],
                    agent.isRunning, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
        }
        #expect(states == ["completed"], "\(output.suffix(3000))")
        #expect(products == 10)
        #expect(running)
        #expect(output.contains("server call failed; retrying"))
        #expect(!output.contains(AgentWorld.gpPassword))
    }
}
