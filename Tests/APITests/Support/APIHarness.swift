import API
import Connector
import Crypto
import Foundation
import HTTPServer
import Logging
import Postgres
import TestSupport

/// The control plane on a real HTTPServer (ephemeral port) over a fresh PostgreSQL database with
/// the project's migrations applied, plus an admin token. Stop it with `stop()`.
final class APIHarness: @unchecked Sendable {
    let conninfo: String
    let pool: ConnectionPool
    let plane: ControlPlane
    let server: HTTPServer
    let client: HTTPTestClient
    let adminToken: String
    let keyring: Keyring
    let logs: LogCapture

    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    init(_ label: String, keyring: Keyring? = nil, poolSize: Int = 4, configure: (inout ControlPlane.Configuration) -> Void = { _ in }) throws {
        conninfo = try TestDatabase.shared.freshDatabase(label)
        let migrator = try Migrator(directory: APIHarness.repoRoot.appendingPathComponent("Schema").path)
        _ = try migrator.migrate(try Connection(conninfo))
        pool = ConnectionPool(conninfo: conninfo, maxConnections: poolSize)
        self.keyring = try keyring ?? Keyring(current: MasterKey.generate())
        logs = LogCapture()
        let capture = logs
        var logger = Logger(label: "mlc.test.api") { _ in capture }
        logger.logLevel = .trace
        var config = ControlPlane.Configuration()
        config.openAPIPath = APIHarness.repoRoot.appendingPathComponent("OpenAPI/openapi.yaml").path
        config.authFailureLimit = 1000
        configure(&config)
        plane = ControlPlane(pool: pool, keyring: self.keyring, logger: logger, configuration: config)
        var router = Router()
        plane.register(on: &router)
        server = HTTPServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0), router: router, logger: logger)
        try server.start()
        client = HTTPTestClient(port: server.port)
        adminToken = try plane.tokens.issue(scope: .admin, name: "test admin").bearer
    }

    func stop() {
        server.shutdown(timeout: .seconds(5))
        plane.shutdown()
        pool.close()
    }

    func send(_ method: String, _ path: String, token: String? = nil, json: String? = nil,
              headers: [String: String] = [:], rawBody: [UInt8]? = nil) throws -> HTTPTestClient.Answer {
        try client.send(method, path, token: token, json: json, headers: headers, rawBody: rawBody)
    }

    func admin(_ method: String, _ path: String, json: String? = nil) throws -> HTTPTestClient.Answer {
        try send(method, path, token: adminToken, json: json)
    }

    /// A new connection to the test database (for setting up and checking rows directly).
    func connection() throws -> Connection { try Connection(conninfo) }

    /// `SELECT count(*)` of a query on the test database.
    func count(_ sql: String) throws -> Int {
        try connection().query(sql, [])[0].decode(0, as: Int.self)
    }

    /// Every row of the tables this issue owns, as text, for "database unchanged" checks.
    func snapshot() throws -> String {
        let c = try Connection(conninfo)
        var out = ""
        // last_used_at is bookkeeping of reads, not a change a refused request could make.
        for table in ["tenants t", "tenant_secrets t", "(SELECT id, token_hash, scope, tenant_id, name, created_at FROM api_tokens) t"] {
            for row in try c.query("SELECT t::text AS r FROM \(table) ORDER BY 1", []) {
                out += table + " " + (try row.decode("r", as: String.self)) + "\n"
            }
        }
        return out
    }

    /// The raw bytes of every column of every row of the tenant tables.
    func rawTableBytes() throws -> [UInt8] {
        let c = try Connection(conninfo)
        var out: [UInt8] = []
        for row in try c.query("SELECT id::bytea || name::bytea || convert_to(settings::text, 'UTF8') AS b FROM tenants", []) {
            out += try row.decode("b", as: [UInt8].self)
        }
        for row in try c.query("SELECT convert_to(tenant_id || field || key_id, 'UTF8') || sealed AS b FROM tenant_secrets", []) {
            out += try row.decode("b", as: [UInt8].self)
        }
        for row in try c.query("SELECT token_hash || convert_to(id || name, 'UTF8') AS b FROM api_tokens", []) {
            out += try row.decode("b", as: [UInt8].self)
        }
        return out
    }
}

/// Collects every log line (message and metadata rendered) so tests can search them.
final class LogCapture: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let line = "\(event.level) \(event.message) \(event.metadata ?? [:]) \(metadata)"
        lock.withLock { lines.append(line) }
    }

    var text: String { lock.withLock { lines.joined(separator: "\n") } }
}
