import Foundation
import Logging

/// A private PostgreSQL server for running without `DATABASE_URL`: initdb into `<home>/pg` on
/// first start, listen only on a Unix socket (`listen_addresses=''`), reuse the cluster on later
/// starts, and stop it with `stop()`.
///
/// As root it runs PostgreSQL as the system user `mlc-postgres` (created when missing) and moves
/// the files to `/var/lib/ml-connector/<hash>` if that user cannot reach `<home>`, logging why.
/// A socket path over the Unix limit moves the socket to `/tmp/mlc-pg-<hash>`. A `postmaster.pid`
/// left by a crash is removed unless it names a live postmaster of this cluster, which is adopted.
///
/// It installs no signal handlers: the CLI calls `stop()` from its SIGINT/SIGTERM handling.
///
/// ```swift
/// let pg = EmbeddedPostgres(home: ".ml-connector")
/// let conninfo = try pg.start()
/// defer { pg.stop() }
/// ```
public final class EmbeddedPostgres: @unchecked Sendable {
    public struct Options: Sendable {
        /// Database created on first start and named in `conninfo`.
        public var database: String = "ml_connector"
        /// Port number in the socket file name (`.s.PGSQL.<port>`); no TCP port is opened.
        public var port: Int = 5432
        /// false turns off fsync and friends: for tests, never for data you keep.
        public var durable: Bool = true
        /// Extra `postgresql.conf` settings.
        public var settings: [String: String] = [:]
        /// System user PostgreSQL runs as when this process is root.
        public var serviceUser: String = "mlc-postgres"

        public init(database: String = "ml_connector", port: Int = 5432, durable: Bool = true,
                    settings: [String: String] = [:], serviceUser: String = "mlc-postgres") {
            self.database = database
            self.port = port
            self.durable = durable
            self.settings = settings
            self.serviceUser = serviceUser
        }
    }

    public let home: String
    public let options: Options
    private let logger: Logger
    private let lock = NSLock()
    // Guarded by `lock`.
    private var layoutValue: Layout?
    private var binaries: PostgresBinaries?
    private var user: ServiceUser?
    private var running = false

    public init(home: String, options: Options = Options(),
                logger: Logger = Logger(label: "mlc.postgres.embedded")) {
        self.home = URL(fileURLWithPath: home).standardizedFileURL.path
        self.options = options
        self.logger = logger
    }

    /// Where the files are (known after the first `start()`).
    public var layout: Layout? { lock.withLock { layoutValue } }

    public var isRunning: Bool { lock.withLock { running } }

    /// The pid in `postmaster.pid`, if the server wrote one.
    public var postmasterPID: Int32? {
        layout.flatMap { EmbeddedPostgres.recordedPID(dataDirectory: $0.dataDirectory) }
    }

    /// Conninfo for `options.database` over the Unix socket (valid after `start()`).
    public var conninfo: String { conninfo(database: options.database) }

    public func conninfo(database: String) -> String {
        let socket = layout?.socketDirectory ?? home + "/run"
        return ConnInfo.build(["host": socket, "port": "\(options.port)", "user": "postgres", "dbname": database])
    }

    /// Initialises the cluster if needed, starts the server (waiting until it accepts
    /// connections), creates `options.database` if missing, and returns its conninfo.
    /// Calling it while running just returns the conninfo.
    @discardableResult
    public func start() throws -> String {
        try lock.withLock {
            if running { return }
            let user = geteuid() == 0 ? try ServiceUser.ensure(options.serviceUser, logger: logger) : nil
            try EmbeddedPostgres.prepareDirectory(home, user: nil, mode: 0o755)
            let layout = EmbeddedPostgres.planLayout(home: home, port: options.port, user: user, logger: logger)
            try EmbeddedPostgres.prepareDirectory((layout.dataDirectory as NSString).deletingLastPathComponent,
                                                  user: nil, mode: 0o755)
            try EmbeddedPostgres.prepareDirectory(layout.dataDirectory, user: user)
            try EmbeddedPostgres.prepareDirectory(layout.socketDirectory, user: user)
            let major = (try? String(contentsOfFile: layout.dataDirectory + "/PG_VERSION", encoding: .utf8))
                .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            let binaries = try PostgresBinaries.locate(preferredMajor: major)
            self.user = user
            self.binaries = binaries
            layoutValue = layout
            if major == nil { try initialize(layout, binaries, user) }
            try writeSettings(layout, user)
            if try adoptOrClearPidFile(layout) {
                running = true
                return
            }
            try startServer(layout, binaries, user)
            running = true
        }
        try createDatabaseIfMissing()
        return conninfo
    }

    /// Stops the server (fast mode: disconnects sessions, rolls back their transactions) and
    /// makes sure no process of this cluster remains. Safe to call repeatedly and from a signal
    /// handling thread.
    public func stop() {
        lock.withLock {
            guard running, let layout = layoutValue, let binaries else { return }
            running = false
            let pid = EmbeddedPostgres.recordedPID(dataDirectory: layout.dataDirectory)
            let outcome = try? Subprocess.run(binaries.pgCtl, ["stop", "-D", layout.dataDirectory, "-m", "fast",
                                                               "-w", "-t", "30"], as: user)
            if let outcome, outcome.status != 0 {
                logger.warning("pg_ctl stop failed", metadata: ["output": "\(outcome.output)"])
            }
            guard let pid, !EmbeddedPostgres.waitForExit(pid, seconds: 5) else {
                logger.info("embedded PostgreSQL stopped", metadata: ["data": "\(layout.dataDirectory)"])
                return
            }
            logger.warning("embedded PostgreSQL did not stop in time; sending SIGQUIT", metadata: ["pid": "\(pid)"])
            kill(pid, SIGQUIT)
            if !EmbeddedPostgres.waitForExit(pid, seconds: 5) { kill(pid, SIGKILL) }
        }
    }

    private func initialize(_ layout: Layout, _ binaries: PostgresBinaries, _ user: ServiceUser?) throws {
        let fm = FileManager.default
        // A crash during an earlier initdb can leave a half-made cluster (no PG_VERSION yet).
        let leftovers = (try? fm.contentsOfDirectory(atPath: layout.dataDirectory)) ?? []
        if !leftovers.isEmpty {
            logger.warning("removing an incomplete cluster before initdb", metadata: ["data": "\(layout.dataDirectory)"])
            for entry in leftovers { try? fm.removeItem(atPath: layout.dataDirectory + "/" + entry) }
        }
        logger.info("initialising embedded PostgreSQL", metadata: ["data": "\(layout.dataDirectory)",
                                                                    "binaries": "\(binaries.directory)"])
        var arguments = ["-D", layout.dataDirectory, "--encoding=UTF8", "--no-locale", "--auth=trust",
                         "--username=postgres"]
        if !options.durable { arguments.append("--no-sync") }
        let outcome = try Subprocess.run(binaries.initdb, arguments, as: user)
        guard outcome.status == 0 else {
            throw PostgresError(.embeddedServerFailed, "initdb failed (exit \(outcome.status)): \(outcome.output.suffix(2000))")
        }
        let include = "\ninclude_if_exists = 'mlc.conf'\n"
        guard let handle = FileHandle(forWritingAtPath: layout.dataDirectory + "/postgresql.conf") else {
            throw PostgresError(.embeddedServerFailed, "cannot open postgresql.conf in \(layout.dataDirectory)")
        }
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(Data(include.utf8))
    }

    /// Rewritten on every start: the socket directory may have moved since the last one.
    private func writeSettings(_ layout: Layout, _ user: ServiceUser?) throws {
        var settings = ["listen_addresses": "", "unix_socket_directories": layout.socketDirectory,
                        "port": "\(options.port)", "unix_socket_permissions": "0770"]
        if !options.durable {
            settings.merge(["fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"]) { $1 }
        }
        settings.merge(options.settings) { $1 }
        let text = "# Written by ml-connector on every start; edits are overwritten.\n" + settings.sorted { $0.key < $1.key }
            .map { "\($0.key) = '\($0.value.replacingOccurrences(of: "'", with: "''"))'" }.joined(separator: "\n") + "\n"
        let path = layout.dataDirectory + "/mlc.conf"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw PostgresError(.embeddedServerFailed, "cannot write \(path)")
        }
        try user?.own(path)
    }

    /// True if a postmaster of this cluster is already running (adopted); removes a stale pid
    /// file (and socket lock) whose process is gone or is something else.
    private func adoptOrClearPidFile(_ layout: Layout) throws -> Bool {
        guard let pid = EmbeddedPostgres.recordedPID(dataDirectory: layout.dataDirectory) else { return false }
        if EmbeddedPostgres.isPostmaster(pid, dataDirectory: layout.dataDirectory) {
            logger.notice("embedded PostgreSQL already running for this data directory; reusing it",
                          metadata: ["pid": "\(pid)"])
            return true
        }
        logger.warning("removing stale postmaster.pid left by a crash", metadata: ["pid": "\(pid)"])
        let fm = FileManager.default
        try? fm.removeItem(atPath: layout.dataDirectory + "/postmaster.pid")
        try? fm.removeItem(atPath: layout.socketDirectory + "/.s.PGSQL.\(options.port).lock")
        try? fm.removeItem(atPath: layout.socketDirectory + "/.s.PGSQL.\(options.port)")
        return false
    }

    private func startServer(_ layout: Layout, _ binaries: PostgresBinaries, _ user: ServiceUser?) throws {
        let logFile = layout.dataDirectory + "/server.log"
        let outcome = try Subprocess.run(binaries.pgCtl, ["start", "-D", layout.dataDirectory, "-w", "-t", "60",
                                                          "-l", logFile], as: user)
        guard outcome.status == 0 else {
            let serverLog = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
            throw PostgresError(.embeddedServerFailed, "pg_ctl start failed (exit \(outcome.status)): "
                + "\(outcome.output.suffix(1000)) server log: \(serverLog.suffix(2000))")
        }
        logger.info("embedded PostgreSQL started", metadata: ["socket_dir": "\(layout.socketDirectory)",
                                                              "data": "\(layout.dataDirectory)"])
    }

    private func createDatabaseIfMissing() throws {
        guard options.database != "postgres" else { return }
        let admin = try Connection(conninfo(database: "postgres"), logger: logger)
        let exists = try admin.query("SELECT 1 FROM pg_database WHERE datname = $1", options.database).count > 0
        if exists { return }
        do {
            try admin.executeScript("CREATE DATABASE \(try admin.quoteIdentifier(options.database))")
        } catch let error as PostgresError where error.sqlState == "42P04" || error.isUniqueViolation {
            // Created by a concurrent start; fine.
        }
    }
}
