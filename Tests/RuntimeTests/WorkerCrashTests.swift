import Connector
import Foundation
import TestSupport
import Glibc
import HTTPServer
import Postgres
import Queue
import Simulators
import Testing
import TestSupport

/// Exactly once under crashes: `ml-connector worker` processes posting orders are killed with
/// SIGKILL over and over; GP must end with exactly one matching invoice per order.
@Suite(.serialized) struct WorkerCrashTests {
    static let executable = DemoCommandTests.executable

    static func spawnWorker(_ world: RuntimeWorld, log: URL) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["worker", "--database-url", world.conninfo, "--workers", "3", "--lease-seconds", "3",
                             "--shutdown-timeout", "1", "--schema-dir", RuntimeWorld.schemaDirectory.path]
        var env = ProcessInfo.processInfo.environment
        env["MLC_MASTER_KEY"] = world.masterKey.exportBase64()
        env.removeValue(forKey: "MLC_MASTER_KEY_FILE")
        process.environment = env
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func ordersPostedByWorkersKilledWithSIGKILLLandInGPExactlyOnce() async throws {
        let orderCount = 60
        let world = try RuntimeWorld("runtime_crash", seed: GPSimulatorSeed(functionalCurrency: "USD", customers: [
            ["CustomerId": .string("AARONFIT0001"), "Name": .string("Aaron Fitz"), "IsOnHold": .bool(false), "IsActive": .bool(true)],
        ]))
        let (expected, documents, kills, log) = try await onThread { () -> ([String: Decimal], [GPSimDocument], Int, String) in
            try world.register()
            let conn = try Connection(world.conninfo)
            let tenant = world.tenantID
            _ = try RecordStore().upsert(conn, RecordKey(tenant: tenant, entity: .customer, sourceKey: "AARONFIT0001"),
                                         status: .synced, targetKey: "1", contentHash: "h", matchKey: "aaron@example.com")
            let queue = JobQueue(registry: JobRegistry())
            var expected: [String: Decimal] = [:]
            for i in 0..<orderCount {
                let placed = world.commerce.placeOrder(email: "aaron@example.com", lines: [
                    CommerceSimOrderLine(sku: "W-\(i)", qty: Double(1 + i % 3), price: 10 + Double(i) * 0.37),
                ], shipping: Double(i % 7), tax: Double(i % 5) * 1.11)
                let order = try #require(placed.order)
                let invoice = world.commerce.invoiceOrder(entityId: try #require(order["entity_id"] as? Int)).invoice
                let increment = try #require(order["increment_id"] as? String)
                expected[increment] = Decimal(string: String(format: "%.2f", try #require(order["grand_total"] as? Double)))
                // Every tenth event arrives twice (Commerce retrying its hook).
                for _ in 0..<(i % 10 == 0 ? 2 : 1) {
                    try conn.transaction { tx in
                        let request = OrderPostingRun.Request(incrementId: increment, event: .invoiceCaptured, arrivedVia: .webhook,
                                                              invoiceId: invoice?["entity_id"] as? Int)
                        if case .enqueue(let key, let payload) = try OrderIntake().receive(tx, tenant: tenant, trigger: .invoiceCaptured, request) {
                            _ = try queue.enqueue(tx, EnqueueRequest(kind: ConnectorJobs.postInvoice, tenantID: tenant,
                                                                     payload: payload, dedupKey: key))
                        }
                    }
                }
            }
            // Slow both systems down so kills land mid-posting (between GP's answer and our record too).
            world.gp.setLatency(ms: 80)
            world.commerce.setLatency(milliseconds: 10)
            let logURL = URL(fileURLWithPath: "/tmp/mlc-runtime-crash-\(getpid()).log")
            FileManager.default.createFile(atPath: logURL.path, contents: nil)
            func posted() throws -> Int {
                try conn.query("SELECT count(*)::int AS n FROM records WHERE tenant_id = $1 AND entity = 'order' AND status = 'posted'",
                               tenant)[0].decode("n")
            }
            // Kill a worker every 0.5–1.5 s while work remains (at most 8 times), then let one finish.
            var kills = 0
            while kills < 8, try posted() < orderCount {
                let worker = try Self.spawnWorker(world, log: logURL)
                Thread.sleep(forTimeInterval: 0.5 + Double(kills % 3) * 0.5)
                worker.killAndReap()
                kills += 1
            }
            let lastLog = URL(fileURLWithPath: logURL.path + ".last")
            FileManager.default.createFile(atPath: lastLog.path, contents: nil)
            let last = try Self.spawnWorker(world, log: lastLog)
            _ = try world.waitFor(120) { try posted() == orderCount }
            // SIGTERM only once it runs: a signal in the first milliseconds of start-up can be lost
            // (ShutdownSignals ignores it until its dispatch source is armed).
            _ = try world.waitFor(30) { ((try? String(contentsOf: lastLog, encoding: .utf8)) ?? "").contains("\"msg\":\"working\"") }
            kill(last.processIdentifier, SIGTERM)
            if try !world.waitFor(30, { !last.isRunning }) {
                kill(last.processIdentifier, SIGKILL)
                Issue.record("the last worker did not stop within 30 s of SIGTERM")
            }
            last.waitForExit(timeout: 10)
            try? FileManager.default.removeItem(at: lastLog)
            let log = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(at: logURL)
            return (expected, world.gp.store.documents, kills, log)
        }
        #expect(kills >= 2)
        #expect(documents.count == orderCount, "\(log.suffix(3000))")
        #expect(Set(documents.map(\.documentNumber)).count == documents.count)
        for document in documents {
            let increment = String(document.documentNumber.dropFirst(3))  // "WEB" + increment id
            #expect(expected[increment] == document.documentAmount, "\(document.documentNumber)")
        }
    }
}
