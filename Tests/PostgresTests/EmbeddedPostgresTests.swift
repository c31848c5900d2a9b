import Foundation
import Logging
@testable import Postgres
import Testing

/// Each test runs its own private server (not the shared test server), since it stops and
/// restarts it.
@Suite(.serialized)
struct EmbeddedPostgresTests {
    let home = NSTemporaryDirectory() + "mlc-embedded-\(UUID().uuidString.prefix(8))"

    func makeServer(home: String? = nil) -> EmbeddedPostgres {
        var logger = Logger(label: "test.embedded")
        logger.logLevel = .warning
        return EmbeddedPostgres(home: home ?? self.home, options: .init(durable: false), logger: logger)
    }

    /// Any process still running with this data directory on its command line, or a child of `pid`.
    func survivors(of pid: Int32, dataDirectory: String, children: [Int32]) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        let byCommandLine = entries.compactMap(Int32.init).filter { candidate in
            guard let data = FileManager.default.contents(atPath: "/proc/\(candidate)/cmdline") else { return false }
            return String(decoding: data, as: UTF8.self).contains(dataDirectory) && EmbeddedPostgres.isAlive(candidate)
        }
        return byCommandLine + ([pid] + children).filter(EmbeddedPostgres.isAlive)
    }

    @Test func stopLeavesNoProcessAndTheNextStartReusesTheData() throws {
        let server = makeServer()
        defer { server.stop(); try? FileManager.default.removeItem(atPath: home) }
        let conninfo = try server.start()
        try Connection(conninfo).executeScript("CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)")
        let layout = try #require(server.layout)
        #expect(layout.dataDirectory == home + "/pg")
        #expect(layout.socketDirectory == home + "/run")
        let pid = try #require(server.postmasterPID)
        let children = EmbeddedPostgres.childPIDs(of: pid)
        #expect(!children.isEmpty)
        #expect(survivors(of: pid, dataDirectory: layout.dataDirectory, children: children).count >= 1)

        server.stop()
        #expect(!server.isRunning)
        #expect(survivors(of: pid, dataDirectory: layout.dataDirectory, children: children).isEmpty)
        #expect(throws: PostgresError.self) { try Connection(conninfo) }

        let again = makeServer()
        defer { again.stop() }
        let reopened = try Connection(try again.start())
        #expect(try reopened.query("SELECT x FROM kept", [])[0].decode(0, as: Int.self) == 42)
    }

    @Test func itListensOnlyOnAUnixSocket() throws {
        let server = makeServer()
        defer { server.stop(); try? FileManager.default.removeItem(atPath: home) }
        let conn = try Connection(try server.start())
        #expect(try conn.query("SELECT current_setting('listen_addresses')", [])[0].decode(0, as: String.self) == "")
        #expect(try conn.query("SELECT current_database()", [])[0].decode(0, as: String.self) == "ml_connector")
        #expect(try conn.query("SELECT inet_server_addr() IS NULL", [])[0].decode(0, as: Bool.self))
    }

    @Test func aPoolAndAListenerRecoverAfterTheServerRestarts() throws {
        let server = makeServer()
        defer { server.stop(); try? FileManager.default.removeItem(atPath: home) }
        let conninfo = try server.start()
        let pool = ConnectionPool(conninfo: conninfo, maxConnections: 2)
        let listener = try NotificationListener(conninfo: conninfo, channels: ["jobs"])
        let before = try pool.withConnection { $0.backendPID }
        #expect(pool.stats.idle == 1)

        server.stop()
        #expect(throws: PostgresError.self) { try pool.withConnection { try $0.query("SELECT 1", []) } }
        #expect(try listener.wait(timeout: .milliseconds(300)).isEmpty)
        try server.start()

        let after = try pool.withConnection { conn in
            (conn.backendPID, try conn.query("SELECT 1", [])[0].decode(0, as: Int.self))
        }
        #expect(after.1 == 1)
        #expect(after.0 != before)
        var received: [PostgresNotification] = []
        let deadline = Date().addingTimeInterval(10)
        while received.isEmpty && Date() < deadline {
            try pool.withConnection { try $0.notify(channel: "jobs", payload: "back") }
            received = try listener.wait(timeout: .milliseconds(500))
        }
        #expect(received.first?.payload == "back")
    }

    @Test func aStalePidFileFromACrashDoesNotBlockStart() throws {
        let server = makeServer()
        defer { server.stop(); try? FileManager.default.removeItem(atPath: home) }
        try server.start()
        let layout = try #require(server.layout)
        let pid = try #require(server.postmasterPID)
        let children = EmbeddedPostgres.childPIDs(of: pid)
        kill(pid, SIGKILL)
        for process in [pid] + children { _ = EmbeddedPostgres.waitForExit(process, seconds: 10) }
        #expect(FileManager.default.fileExists(atPath: layout.dataDirectory + "/postmaster.pid"))

        // Make the leftover name a live process that is not a postmaster (a recycled pid).
        let pidFile = layout.dataDirectory + "/postmaster.pid"
        var lines = try String(contentsOfFile: pidFile, encoding: .utf8).components(separatedBy: "\n")
        lines[0] = "\(getpid())"
        try lines.joined(separator: "\n").write(toFile: pidFile, atomically: false, encoding: .utf8)

        let restarted = makeServer()
        defer { restarted.stop() }
        let conn = try Connection(try restarted.start())
        #expect(try conn.query("SELECT 1", [])[0].decode(0, as: Int.self) == 1)
        #expect(restarted.postmasterPID != getpid())
    }

    @Test func aRunningServerOfTheSameDataIsAdoptedNotStartedTwice() throws {
        let first = makeServer()
        defer { first.stop(); try? FileManager.default.removeItem(atPath: home) }
        try first.start()
        let pid = first.postmasterPID
        let second = makeServer()
        let conn = try Connection(try second.start())
        #expect(second.postmasterPID == pid)
        #expect(try conn.query("SELECT 1", [])[0].decode(0, as: Int.self) == 1)
    }

    @Test(.enabled(if: geteuid() == 0, "only root runs PostgreSQL as a service user"))
    func asRootAHomeTheServiceUserCannotEnterIsMovedAndStillWorks() throws {
        let privateParent = NSTemporaryDirectory() + "mlc-private-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: privateParent, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let server = makeServer(home: privateParent + "/home")
        defer {
            server.stop()
            if let data = server.layout?.dataDirectory {
                try? FileManager.default.removeItem(atPath: (data as NSString).deletingLastPathComponent)
            }
            try? FileManager.default.removeItem(atPath: privateParent)
        }
        let conn = try Connection(try server.start())
        let layout = try #require(server.layout)
        #expect(layout.dataDirectory.hasPrefix("/var/lib/ml-connector/"))
        #expect(try conn.query("SELECT current_user", [])[0].decode(0, as: String.self) == "postgres")
        let served = try conn.query("SELECT current_setting('data_directory')", [])[0].decode(0, as: String.self)
        #expect(served == layout.dataDirectory)
    }

    @Test func anOverlongSocketPathMovesTheSocketUnderTmp() {
        let deep = "/tmp/" + String(repeating: "deep-folder-name/", count: 8)
        let layout = EmbeddedPostgres.planLayout(home: deep, port: 5432, user: nil, logger: Logger(label: "test"))
        #expect(layout.dataDirectory == deep + "/pg")
        #expect(layout.socketDirectory.hasPrefix("/tmp/mlc-pg-"))
        #expect((layout.socketDirectory + "/.s.PGSQL.5432").utf8.count <= EmbeddedPostgres.maxSocketPathBytes)
        let short = EmbeddedPostgres.planLayout(home: "/srv/mlc", port: 5432, user: nil, logger: Logger(label: "test"))
        #expect(short.socketDirectory == "/srv/mlc/run")
    }

    @Test func aWrongPasswordIsAnAuthFailureThatDoesNotContainThePassword() throws {
        let server = makeServer()
        defer { server.stop(); try? FileManager.default.removeItem(atPath: home) }
        let conninfo = try server.start()
        let admin = try Connection(conninfo)
        try admin.executeScript("CREATE ROLE app LOGIN PASSWORD 'Corr3ctHorse'")
        let hba = try #require(server.layout).dataDirectory + "/pg_hba.conf"
        try "local all postgres trust\nlocal all all scram-sha-256\n".write(toFile: hba, atomically: false, encoding: .utf8)
        _ = try admin.query("SELECT pg_reload_conf()", [])
        usleep(300_000)
        let socket = try #require(server.layout).socketDirectory
        let url = "postgresql://app:WrongPassw0rd@/ml_connector?host=\(socket)"
        let error = #expect(throws: PostgresError.self) { try Connection(url) }
        #expect(error?.code == .authFailed)
        #expect(error.map { "\($0)" }?.contains("WrongPassw0rd") == false)
        let right = try Connection("postgresql://app:Corr3ctHorse@/ml_connector?host=\(socket)")
        #expect(try right.query("SELECT current_user", [])[0].decode(0, as: String.self) == "app")
    }
}
