import API
import ArgumentParser
import Commerce
import Connector
import Crypto
import Foundation
import HTTPServer
import Logging
import Postgres
import Queue
import Simulators

/// `ml-connector demo`: the whole job on one machine. Embedded PostgreSQL, the GP and Commerce
/// simulators on loopback, the server with workers and scheduler in this process; registers a
/// demo tenant, syncs items and customers, places a handful of orders, waits for them to settle
/// and prints what landed where and why — then keeps serving until SIGINT/SIGTERM.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run everything with simulated GP and Commerce, show a sync and orders posting, keep serving.",
        discussion: """
        Uses the embedded PostgreSQL under --home (or --database-url). Each run registers a new demo \
        tenant, so runs never see each other's records. Logs go to stderr at warning level unless \
        --log-level or MLC_LOG_LEVEL says otherwise; the story goes to stdout.
        """)

    @Option(help: "Address of the control plane (env MLC_HOST).")
    var host: String = Environment.string("MLC_HOST") ?? "127.0.0.1"

    @Option(help: "Port of the control plane (env MLC_PORT); 0 picks a free one.")
    var port: Int = Environment.int("MLC_PORT", default: 8080)

    @Option(help: "Worker threads.")
    var workers: Int = 2

    @Option(help: "GP items in the demo catalog.")
    var items: Int = 300

    @Option(help: "GP customers in the demo catalog (plus one on hold and one in euros).")
    var customers: Int = 36

    @Option(help: "Seconds to wait for each stage before giving up with a message.")
    var timeout: Int = 120

    @Flag(help: "Exit after printing the summary instead of serving.")
    var exitAfterSummary = false

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard (1...64).contains(workers) else { throw ValidationError("--workers must be between 1 and 64") }
        guard (10...5000).contains(items) else { throw ValidationError("--items must be between 10 and 5000") }
        guard (4...1000).contains(customers) else { throw ValidationError("--customers must be between 4 and 1000") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() throws {
        let explicitLevel = Environment.string("MLC_LOG_LEVEL") != nil || CommandLine.arguments.contains("--log-level")
        let logger = bootstrapLogging(level: explicitLevel ? database.logLevel : "warning", label: "mlc.demo")
        let stack = DemoStack(logger: logger)
        let signals = ShutdownSignals.shared
        do {
            try stack.start(self)
            try DemoStory(stack: stack, demo: self).run()
        } catch {
            DemoStory.say("\ndemo stopped: \(error)")
            stack.stop()
            signals.runHandlers()
            throw ExitCode.failure
        }
        if !exitAfterSummary {
            DemoStory.say("\nServing until Ctrl-C (SIGINT) or SIGTERM.")
            signals.wait()
        }
        stack.stop()
        signals.runHandlers()
    }
}

/// Everything the demo starts, stopped in reverse order: HTTP server, workers, simulators, pool
/// (the embedded PostgreSQL stops last, from the shutdown handlers).
final class DemoStack: @unchecked Sendable {
    let logger: Logger
    var session: DatabaseSession!
    var pool: ConnectionPool!
    var plane: ControlPlane!
    var server: HTTPServer!
    var runtime: ConnectorRuntime!
    var gp: GPSimulator!
    var commerce: CommerceSimulator!

    init(logger: Logger) { self.logger = logger }

    func start(_ demo: Demo) throws {
        DemoStory.say("Starting PostgreSQL, the GP and Commerce simulators, and the server…")
        session = try DatabaseSession(options: demo.database, logger: logger, ownsServer: true)
        let keyring = try MasterKeyOptions.loadKeyring(database: demo.database, logger: logger)
        try session.migrate(schemaDirectory: try demo.database.schemaDirectory(), logger: logger)
        pool = ConnectionPool(conninfo: session.conninfo, maxConnections: 8)

        var gpConfig = GPSimulatorConfiguration()
        gpConfig.users = [DemoCatalog.gpUser: DemoCatalog.gpPassword]
        gp = try GPSimulator(configuration: gpConfig, seed: DemoCatalog.seed(items: demo.items, customers: demo.customers))
        _ = try gp.start(host: "127.0.0.1", port: 0)
        var commerceConfig = CommerceSimulatorConfig()
        commerceConfig.host = "127.0.0.1"
        commerceConfig.port = 0
        commerce = try CommerceSimulator(config: commerceConfig)
        try commerce.start()

        var configuration = ControlPlane.Configuration()
        configuration.openAPIPath = try demo.database.openAPIPath()
        configuration.probe = LiveTenantProbe()
        configuration.tenantChangesConninfo = session.conninfo
        plane = ControlPlane(pool: pool, keyring: keyring, logger: Logger(label: "mlc.api"), configuration: configuration)
        try plane.tenants.checkKeys()
        let metrics = Metrics()
        var router = Router()
        SystemRoutes(pool: pool, metrics: metrics).register(on: &router)
        plane.register(on: &router)
        plane.registerMetrics(on: metrics)
        server = HTTPServer(configuration: ServerConfiguration(host: demo.host, port: demo.port, maxConnections: 256),
                            router: router, logger: Logger(label: "mlc.http"), observer: metrics.httpObserver())
        try server.start()
        metrics.trackConnections(of: server)
        runtime = ConnectorRuntime(conninfo: session.conninfo, tenants: plane.tenants, workers: demo.workers)
        try runtime.start()
    }

    func stop() {
        server?.shutdown(timeout: .seconds(5))
        // The webhook writers and the tenant-change listener, before the database goes away.
        plane?.shutdown()
        runtime?.shutdown(grace: 5)
        gp?.stop()
        commerce?.stop()
        pool?.close()
    }
}
