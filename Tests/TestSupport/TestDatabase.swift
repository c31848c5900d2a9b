import Foundation
import Logging
import Postgres
import Synchronization

/// A real PostgreSQL server for tests. With `MLC_TEST_DATABASE_URL` set it uses that server;
/// otherwise it starts ONE embedded server per test process in `/tmp/mlc-test-<pid>` (fsync off),
/// stopped and deleted at process exit.
///
/// Tests get isolation by asking for their own database:
///
/// ```swift
/// let conninfo = try TestDatabase.shared.freshDatabase("queue")
/// let conn = try Connection(conninfo)
/// ```
public final class TestDatabase: Sendable {
    public static let shared = TestDatabase()

    /// Conninfo of the server's `postgres` database (for CREATE DATABASE and server-wide checks).
    public let serverConninfo: String
    /// The embedded server, nil when `MLC_TEST_DATABASE_URL` is used.
    public let embedded: EmbeddedPostgres?
    private let startupError: PostgresError?
    private let counter = Atomic<Int>(0)

    private static let created = Mutex<(server: EmbeddedPostgres?, home: String?, databases: [String], admin: String?)>(
        (nil, nil, [], nil))

    private init() {
        if let url = ProcessInfo.processInfo.environment["MLC_TEST_DATABASE_URL"], !url.isEmpty {
            embedded = nil
            serverConninfo = url
            startupError = nil
            TestDatabase.created.withLock { $0.admin = url }
        } else {
            TestDatabase.sweepOrphans()
            let home = "/tmp/mlc-test-\(getpid())"
            var logger = Logger(label: "mlc.test.postgres")
            logger.logLevel = .warning
            let server = EmbeddedPostgres(home: home, options: .init(database: "postgres", durable: false),
                                          logger: logger)
            embedded = server
            TestDatabase.created.withLock { $0.server = server; $0.home = home }
            do {
                serverConninfo = try server.start()
                startupError = nil
            } catch {
                serverConninfo = ""
                startupError = error as? PostgresError
                    ?? PostgresError(.embeddedServerFailed, "\(error)")
            }
        }
        atexit { TestDatabase.cleanUpAtExit() }
    }

    /// Creates a new, empty database with a unique name and returns its conninfo.
    public func freshDatabase(_ label: String = "test") throws -> String {
        if let startupError { throw startupError }
        let cleaned = String(label.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.prefix(24))
        let number = counter.add(1, ordering: .relaxed).newValue
        let name = "mlc_\(cleaned)_\(getpid())_\(number)"
        let admin = try Connection(serverConninfo)
        try admin.executeScript("CREATE DATABASE \(try admin.quoteIdentifier(name))")
        TestDatabase.created.withLock { $0.databases.append(name) }
        guard let conninfo = ConnInfo.replacingDatabase(serverConninfo, with: name) else {
            throw PostgresError(.connectionFailed, "MLC_TEST_DATABASE_URL is not a valid connection string")
        }
        return conninfo
    }

    /// A test process that crashed never ran its atexit handler: stop the servers of test homes
    /// whose process is gone (immediate shutdown) and delete those homes, so CI does not pile up
    /// PostgreSQL processes.
    private static func sweepOrphans() {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        for entry in entries where entry.hasPrefix("mlc-test-") {
            guard let owner = Int32(entry.dropFirst("mlc-test-".count)), kill(owner, 0) != 0, errno == ESRCH else {
                continue
            }
            let data = "/tmp/\(entry)/pg"
            if let text = try? String(contentsOfFile: data + "/postmaster.pid", encoding: .utf8),
               let pid = text.split(separator: "\n").first.flatMap({ Int32($0) }),
               let command = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
               String(decoding: command, as: UTF8.self).contains(data) {
                kill(pid, SIGQUIT)
                for _ in 0..<100 where kill(pid, 0) == 0 { usleep(50_000) }
            }
            try? FileManager.default.removeItem(atPath: "/tmp/\(entry)")
        }
    }

    /// Stops the embedded server and removes its files, or drops the databases made on an
    /// external server.
    private static func cleanUpAtExit() {
        let state = created.withLock { $0 }
        if let server = state.server {
            server.stop()
            if let home = state.home { try? FileManager.default.removeItem(atPath: home) }
            if let data = server.layout?.dataDirectory, !data.hasPrefix(state.home ?? "/nonexistent") {
                try? FileManager.default.removeItem(atPath: (data as NSString).deletingLastPathComponent)
            }
        } else if let admin = state.admin, let connection = try? Connection(admin) {
            for name in state.databases {
                try? connection.executeScript("DROP DATABASE IF EXISTS \(try connection.quoteIdentifier(name)) WITH (FORCE)")
            }
        }
    }
}
