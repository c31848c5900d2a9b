import Foundation
import Glibc
import Testing

/// The executable as an operator runs it: embedded PostgreSQL, readiness, orderly stop, reuse.
@Suite(.serialized)
struct ServeCommandTests {
    @Test func serveOnTheEmbeddedDatabaseIsReadyStopsCleanlyOnSIGTERMAndReusesItsDataOnRestart() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("mlc-cli-home-\(getpid())")
        try? FileManager.default.removeItem(at: home)
        defer { try? FileManager.default.removeItem(at: home) }
        let arguments = ["serve", "--port", "0", "--workers", "0", "--home", home.path]

        let first = try ServerProcess(arguments, logName: "first")
        let port = try first.waitForPort()
        let ready = try httpGet(port: port, path: "/readyz")
        #expect(ready.status == 200, "\(ready.body)")
        #expect(ready.body.contains("\"database\":\"ok\""))
        #expect(try httpGet(port: port, path: "/healthz").status == 200)
        let metrics = try httpGet(port: port, path: "/metrics")
        #expect(metrics.body.contains("http_requests_total{route=\"/readyz\",method=\"GET\",status=\"200\"} 1"))
        #expect(metrics.body.contains("mlc_process_resident_memory_bytes"))
        #expect(metrics.body.contains("mlc_db_pool_in_use"))
        #expect(first.log.contains("initialising embedded PostgreSQL"))

        let dataDir = try #require(first.embeddedDataDirectory)
        #expect(!processes(matching: dataDir).isEmpty, "the embedded server should be running")
        #expect(try first.terminate() == 0, "\(first.log)")
        #expect(processes(matching: dataDir).isEmpty, "SIGTERM must leave no PostgreSQL behind")
        #expect(!FileManager.default.fileExists(atPath: dataDir + "/postmaster.pid"))

        let second = try ServerProcess(arguments, logName: "second")
        let port2 = try second.waitForPort()
        #expect(try httpGet(port: port2, path: "/readyz").status == 200)
        #expect(!second.log.contains("initialising embedded PostgreSQL"), "the second start must reuse the data")
        #expect(try second.terminate(signal: SIGINT) == 0)
        #expect(processes(matching: dataDir).isEmpty, "SIGINT must leave no PostgreSQL behind")
    }

    @Test func readinessFailsWith503WhenTheDatabaseIsGoneAndLivenessStillAnswers() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("mlc-cli-ready-\(getpid())")
        try? FileManager.default.removeItem(at: home)
        defer { try? FileManager.default.removeItem(at: home) }
        let server = try ServerProcess(["serve", "--port", "0", "--workers", "0", "--home", home.path], logName: "ready")
        defer { _ = try? server.terminate() }
        let port = try server.waitForPort()
        #expect(try httpGet(port: port, path: "/readyz").status == 200)

        // Stop the embedded PostgreSQL under the server's feet.
        let dataDir = try #require(server.embeddedDataDirectory)
        let pidLine = try String(contentsOfFile: dataDir + "/postmaster.pid", encoding: .utf8).split(separator: "\n").first
        let postmaster = try #require(pidLine.flatMap { Int32($0) })
        kill(postmaster, SIGINT)
        var stopped = false
        for _ in 0..<200 where !stopped { usleep(50_000); stopped = kill(postmaster, 0) != 0 }
        #expect(stopped)

        let notReady = try httpGet(port: port, path: "/readyz")
        #expect(notReady.status == 503)
        #expect(notReady.body.contains("\"code\":\"database_unavailable\""))
        #expect(try httpGet(port: port, path: "/healthz").status == 200)
    }

    @Test func helpNamesEveryFlagWithItsEnvironmentVariable() throws {
        let result = try ServerProcess.run(["serve", "--help"])
        #expect(result.status == 0)
        for text in ["--host", "MLC_HOST", "--port", "MLC_PORT", "--workers", "MLC_WORKERS", "--database-url",
                     "DATABASE_URL", "--log-level", "MLC_LOG_LEVEL", "--home", "MLC_HOME"] {
            #expect(result.output.contains(text), "help lacks \(text)")
        }
    }

    @Test(arguments: [
        (["serve", "--port", "70000"], "--port must be between 0 and 65535"),
        (["serve", "--log-level", "loud"], "--log-level must be one of"),
        (["serve", "--workers=-1"], "--workers must be between 0 and 256"),
    ])
    func invalidFlagsAreRejectedWithAPlainMessage(arguments: [String], message: String) throws {
        let result = try ServerProcess.run(arguments)
        #expect(result.status != 0)
        #expect(result.output.contains(message), "\(result.output)")
    }
}
