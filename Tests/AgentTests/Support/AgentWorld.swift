import API
import Commerce
import Connector
import Crypto
import Foundation
import GP
import HTTPClient
import HTTPServer
import Logging
import Postgres
import Queue
import Simulators
import TestSupport

/// Everything `serve` runs, in the test process, for agent tenants: the control plane with the
/// agent routes on a real HTTPServer, the worker pool with the relay, both simulators and a fresh
/// database. The GP simulator stands for a GP the server cannot reach: only the agent process
/// (`ml-connector agent`, spawned by `spawnAgent`) gets its credentials.
final class AgentWorld: @unchecked Sendable {
    static let gpUser = #"DEMO\svc-gp"#
    static let gpPassword = "Gp-agent-pa55!"
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let executable = repoRoot.appendingPathComponent(".build/debug/ml-connector")

    let gp: GPSimulator
    let commerce: CommerceSimulator
    let conninfo: String
    let pool: ConnectionPool
    let relay: AgentRelay
    let plane: ControlPlane
    var server: HTTPServer
    let router: Router
    var runtime: ConnectorRuntime?
    let adminToken: String
    let masterKey: MasterKey
    private(set) var agents: [Process] = []
    /// When set, the HTTP server itself serves HTTPS with this certificate (and `request` trusts it).
    let tlsCertificate: SelfSignedCertificate?
    /// Every line the server side logged (control plane and HTTP server), when `captureLogs`.
    let serverLog: LogCapture
    private let serverLogger: Logger

    init(_ label: String, seed: GPSimulatorSeed = GPSimulatorSeed(functionalCurrency: "USD"), poolSize: Int = 8,
         captureLogs: Bool = false, tls: SelfSignedCertificate? = nil,
         relayConfig: (inout AgentRelay.Configuration) -> Void = { _ in },
         planeConfig: (inout ControlPlane.Configuration) -> Void = { _ in }) throws {
        tlsCertificate = tls
        var config = GPSimulatorConfiguration()
        config.users = [Self.gpUser: Self.gpPassword]
        gp = try GPSimulator(configuration: config, seed: seed)
        _ = try gp.start(host: "127.0.0.1", port: 0)
        commerce = try CommerceSimulator(config: CommerceSimulatorConfig())
        try commerce.start()
        conninfo = try TestDatabase.shared.freshDatabase(label)
        _ = try Migrator(directory: Self.repoRoot.appendingPathComponent("Schema").path).migrate(try Connection(conninfo))
        pool = ConnectionPool(conninfo: conninfo, maxConnections: poolSize)
        var relayConfiguration = AgentRelay.Configuration()
        relayConfiguration.pickupSeconds = 5
        relayConfiguration.leaseSeconds = 4
        relayConfiguration.heartbeatSeconds = 1
        relayConfig(&relayConfiguration)
        relay = AgentRelay(conninfo: conninfo, configuration: relayConfiguration)
        masterKey = try MasterKey.generate()
        let capture = LogCapture()
        serverLog = capture
        var logger = captureLogs ? Logger(label: "mlc.test.agent", factory: { _ in capture.handler() })
                                 : Logger(label: "mlc.test.agent")
        logger.logLevel = captureLogs ? .trace : .warning
        serverLogger = logger
        var plane = ControlPlane.Configuration()
        plane.openAPIPath = Self.repoRoot.appendingPathComponent("OpenAPI/openapi.yaml").path
        plane.authFailureLimit = 1000
        plane.agentRelay = relay
        plane.probe = LiveTenantProbe(agentRelay: relay)
        planeConfig(&plane)
        self.plane = ControlPlane(pool: pool, keyring: try Keyring(current: masterKey), logger: logger,
                                  queue: JobQueue(registry: JobRegistry()), configuration: plane)
        var router = Router()
        self.plane.register(on: &router)
        self.router = router
        server = HTTPServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0, tls: tls.map {
            TLSConfiguration(certificateChainPath: $0.certificatePath, privateKeyPath: $0.keyPath)
        }), router: router, logger: logger)
        try server.start()
        adminToken = try self.plane.tokens.issue(scope: .admin, name: "test admin").bearer
    }

    /// Stops agents, workers, server and simulators.
    func stop() {
        for agent in agents { agent.killAndReap() }
        runtime?.shutdown(grace: 3)
        relay.stop()
        server.shutdown(timeout: .seconds(3))
        plane.shutdown()
        relay.close()
        pool.close()
        gp.stop()
        commerce.stop()
    }

    var baseURL: String { "\(tlsCertificate == nil ? "http" : "https")://127.0.0.1:\(server.port)" }

    /// The workers (2 threads) with the world's relay.
    func startWorkers() throws {
        let runtime = ConnectorRuntime(conninfo: conninfo, tenants: plane.tenants, workers: 2, queue: plane.queue,
                                       agentRelay: relay, configure: {
                                           $0.pollInterval = 0.1
                                           $0.maintenanceInterval = 0.2
                                           $0.leaseSeconds = 5
                                           $0.heartbeatInterval = 1
                                       }, tenantSyncInterval: 0.5, logger: serverLogger)
        try runtime.start()
        self.runtime = runtime
    }

    /// Stops the HTTP server, waits `downFor` seconds, and starts a new one on the same port.
    func restartServer(downFor: Double) throws {
        let port = server.port
        server.shutdown(timeout: .seconds(3))
        Thread.sleep(forTimeInterval: downFor)
        var logger = Logger(label: "mlc.test.agent")
        logger.logLevel = .warning
        var configuration = server.configuration
        configuration.port = port
        let fresh = HTTPServer(configuration: configuration, router: router, logger: logger)
        try fresh.start()
        server = fresh
    }

    /// Registers a tenant whose GP is reached through its agent: no GP credentials on the server.
    /// `agentCredentials: "server"` stores the GP user and password on the server for the agent.
    func registerAgentTenant(name: String = "Agent test \(UUID().uuidString.prefix(8))", maxParallel: Int = 2,
                             agentCredentials: String? = nil) throws -> Tenant {
        let i = CommerceSimulatorConfig.defaultIntegration
        var gpDocument: [String: Any] = [
            "company_url": gp.companyURL(company: "Fabrikam, Inc."), "connection": "agent", "auth": "basic",
            "tls": ["allow_insecure_http": true], "max_parallel_calls": maxParallel, "price_level": "RETAIL",
            "functional_currency": "USD",
        ]
        if let agentCredentials { gpDocument["agent_credentials"] = agentCredentials }
        if agentCredentials == "server" {
            gpDocument["username"] = Self.gpUser
            gpDocument["password"] = Self.gpPassword
        }
        let document: [String: Any] = [
            "name": name,
            "gp": gpDocument,
            "commerce": [
                "base_url": commerce.baseURL, "store_code": "default", "tls": ["allow_insecure_http": true],
                "auth": ["type": "oauth1", "consumer_key": i.consumerKey, "consumer_secret": i.consumerSecret,
                         "access_token": i.accessToken, "access_token_secret": i.accessTokenSecret],
            ],
            "schedule": ["items_every_s": 0, "customers_every_s": 0, "orders_backstop_every_s": 0],
        ]
        let data = try JSONSerialization.data(withJSONObject: document)
        let validated = try plane.tenants.validator.validate(try DocumentValue.parse(Array(data)), keptSecrets: [])
        return try plane.tenants.create(validated)
    }

    func agentToken(_ tenant: Tenant) throws -> String {
        try plane.tokens.issue(scope: .agent(tenant.id), name: "agent").bearer
    }

    /// Starts `ml-connector agent` against this server, with the GP credentials in its environment
    /// unless `localCredentials` is false (then it has none of its own).
    @discardableResult
    func spawnAgent(token: String, log: URL, concurrency: Int = 2, server: String? = nil, pingInterval: Double = 1,
                    localCredentials: Bool = true, extra: [String] = []) throws -> Process {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["agent", "--server", server ?? baseURL, "--token", token, "--concurrency", "\(concurrency)",
                             "--heartbeat-interval", "0.5", "--gp-ping-interval", "\(pingInterval)", "--max-backoff", "1",
                             "--shutdown-timeout", "2"] + extra
        var env = ProcessInfo.processInfo.environment
        for key in ["MLC_GP_USERNAME", "MLC_GP_PASSWORD", "MLC_GP_CREDENTIALS_FILE"] { env.removeValue(forKey: key) }
        if localCredentials {
            env["MLC_GP_USERNAME"] = Self.gpUser
            env["MLC_GP_PASSWORD"] = Self.gpPassword
        }
        process.environment = env
        if !FileManager.default.fileExists(atPath: log.path) { FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        agents.append(process)
        return process
    }

    /// Polls `condition` every 50 ms for up to `seconds`.
    func waitFor(_ seconds: Double, _ condition: () throws -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return try condition()
    }

    func jobStates(_ conn: Connection, tenant: Tenant, kind: String) throws -> [String] {
        try conn.query("SELECT state::text AS state FROM jobs WHERE tenant_id = $1 AND kind = $2 ORDER BY id", tenant.id.rawValue, kind)
            .map { try $0.decode("state") }
    }

    /// One HTTP request to the server from this thread (libcurl).
    func request(_ method: String, _ path: String, token: String?, json: String? = nil) throws -> (status: Int, body: [String: Any]) {
        var request = HTTPRequest(method: .init(rawValue: method), url: baseURL + path, body: Array((json ?? "").utf8),
                                  auth: token.map { .bearer(token: $0) } ?? .none,
                                  tls: tlsCertificate.map { .trusting(caPEM: $0.pem) } ?? .standard,
                                  proxy: .direct, timeout: .seconds(60))
        if json != nil { request.headers.add("Content-Type", "application/json") }
        let response = try HTTPClient().perform(request)
        let body = (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? [:]
        return (response.status, body)
    }
}

/// Runs blocking work (libcurl, libpq, sockets, processes) on its own thread, never on Swift's cooperative pool.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        thread.stackSize = 4 << 20
        thread.start()
    }
}
