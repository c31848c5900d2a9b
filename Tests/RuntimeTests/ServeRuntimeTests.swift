import Connector
import Foundation
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Glibc
import Postgres
import Simulators
import Testing
import TestSupport

/// `ml-connector serve --workers N` as deployed: a tenant registered over HTTP is pinged live
/// against both simulators, and its schedule runs the item sync on the server's own workers.
@Suite(.serialized) struct ServeRuntimeTests {
    static func http(_ method: String, _ url: String, token: String, body: Data? = nil) throws -> (Int, [String: Any]) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body { request.httpBody = body; request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, Data) = (0, Data())
        URLSession.shared.dataTask(with: request) { data, response, _ in
            result = ((response as? HTTPURLResponse)?.statusCode ?? 0, data ?? Data())
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 60)
        return (result.0, (try? JSONSerialization.jsonObject(with: result.1)) as? [String: Any] ?? [:])
    }

    @Test func aTenantRegisteredOverHTTPIsPingedLiveAndSyncedByTheServersWorkers() async throws {
        let world = try RuntimeWorld("runtime_serve", seed: GPSimulatorSeed(
            functionalCurrency: "USD", generate: GPSimGenerate(items: 25, priceLevel: "RETAIL", sites: ["MAIN"])))
        let (created, gpStatus, commerceStatus, products, status, log) = try await onThread { () -> (Int, String?, String?, Int?, Int32, String) in
            let token = try TokenStore(pool: world.pool).issue(scope: .admin, name: "test").bearer
            let logURL = URL(fileURLWithPath: "/tmp/mlc-runtime-serve-\(getpid()).log")
            FileManager.default.createFile(atPath: logURL.path, contents: nil)
            defer { try? FileManager.default.removeItem(at: logURL) }
            let process = Process()
            process.executableURL = DemoCommandTests.executable
            process.arguments = ["serve", "--database-url", world.conninfo, "--port", "0", "--workers", "2",
                                 "--schema-dir", RuntimeWorld.schemaDirectory.path]
            process.currentDirectoryURL = RuntimeWorld.schemaDirectory.deletingLastPathComponent()
            var env = ProcessInfo.processInfo.environment
            env["MLC_MASTER_KEY"] = world.masterKey.exportBase64()
            env.removeValue(forKey: "MLC_MASTER_KEY_FILE")
            process.environment = env
            let handle = try FileHandle(forWritingTo: logURL)
            process.standardOutput = handle
            process.standardError = handle
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let read = { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }
            var port = 0
            _ = try world.waitFor(60) {
                guard let line = read().split(separator: "\n").first(where: { $0.contains("\"msg\":\"worker pool started\"") }) ?? nil,
                      let listening = read().split(separator: "\n").first(where: { $0.contains("\"msg\":\"listening\"") }),
                      let range = listening.range(of: #""port":"?(\d+)"#, options: .regularExpression) else { return false }
                _ = line
                port = Int(listening[range].filter(\.isNumber)) ?? 0
                return port > 0
            }
            let base = "http://127.0.0.1:\(port)"
            let i = CommerceSimulatorConfig.defaultIntegration
            let document: [String: Any] = [
                "name": "Serve test",
                "gp": ["company_url": world.gp.companyURL(company: "Fabrikam, Inc."), "auth": "basic", "username": RuntimeWorld.gpUser,
                       "password": RuntimeWorld.gpPassword, "tls": ["allow_insecure_http": true], "price_level": "RETAIL"],
                "commerce": ["base_url": world.commerce.baseURL, "tls": ["allow_insecure_http": true],
                             "auth": ["type": "oauth1", "consumer_key": i.consumerKey, "consumer_secret": i.consumerSecret,
                                      "access_token": i.accessToken, "access_token_secret": i.accessTokenSecret]],
                "schedule": ["items_every_s": 600, "customers_every_s": 0, "orders_backstop_every_s": 0],
            ]
            let (created, tenant) = try Self.http("POST", base + "/v1/tenants", token: token,
                                                  body: try JSONSerialization.data(withJSONObject: document))
            let id = tenant["id"] as? String ?? "?"
            let (_, ping) = try Self.http("POST", base + "/v1/tenants/\(id)/ping", token: token)
            // The server's tenant-sync tick (≤ 10 s) creates the schedule; its first tick syncs items.
            _ = try world.waitFor(60) { world.commerce.stats["products"] == 25 }
            kill(process.processIdentifier, SIGTERM)
            _ = try world.waitFor(30) { !process.isRunning }
            let exitStatus = process.waitForExit(timeout: 10)
            return (created, (ping["gp"] as? [String: Any])?["status"] as? String,
                    (ping["commerce"] as? [String: Any])?["status"] as? String,
                    world.commerce.stats["products"], exitStatus, read())
        }
        #expect(created == 201, "\(log.suffix(2000))")
        #expect(gpStatus == "ok")
        #expect(commerceStatus == "ok")
        #expect(products == 25)
        #expect(status == 0)
        let order = ["\"msg\":\"http server stopped\"", "\"msg\":\"worker pool stopped\"", "\"msg\":\"stopped\""]
            .map { log.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil } && order[0]! < order[1]! && order[1]! < order[2]!, "\(log.suffix(2000))")
    }
}
