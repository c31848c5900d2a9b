import API
import ArgumentParser
import Crypto
import Foundation
import HTTPServer
import Logging
import Postgres
import Connector
import Queue

/// `ml-connector serve`: the control-plane API, the webhook receiver, the workers and the
/// scheduler in one process.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the control-plane API, webhook receiver, workers and scheduler.",
        discussion: """
        With no --database-url (DATABASE_URL) it starts an embedded PostgreSQL under --home and \
        stops it on exit. Migrations are applied at start. SIGINT or SIGTERM stops accepting \
        connections, lets requests in flight finish (up to --shutdown-timeout), then exits.

        HTTPS: give --tls-cert and --tls-key (PEM files; the certificate file may hold the chain) \
        and the server speaks only HTTPS on --port (TLS 1.2 or newer). Without them it speaks \
        plain HTTP, for a reverse proxy that terminates TLS in front of it.
        """)

    @Option(help: "Address to listen on (env MLC_HOST). Use 0.0.0.0 or :: to listen on every interface.")
    var host: String = Environment.string("MLC_HOST") ?? "127.0.0.1"

    @Option(help: "TCP port (env MLC_PORT); 0 picks a free port and logs it.")
    var port: Int = Environment.int("MLC_PORT", default: 8080)

    @Option(help: "Worker threads running jobs (env MLC_WORKERS); 0 runs the API only.")
    var workers: Int = Environment.int("MLC_WORKERS", default: 2)

    @Option(help: "Most simultaneous client connections (env MLC_MAX_CONNECTIONS); beyond it clients get 503.")
    var maxConnections: Int = Environment.int("MLC_MAX_CONNECTIONS", default: 512)

    @Option(help: "Database connections shared by request threads and webhook storing threads (env MLC_DB_POOL_SIZE); keep it above --webhook-threads.")
    var dbPoolSize: Int = Environment.int("MLC_DB_POOL_SIZE", default: 40)

    @Option(help: "Threads storing webhooks (env MLC_WEBHOOK_THREADS); each commits all hooks waiting at once (group commit).")
    var webhookThreads: Int = Environment.int("MLC_WEBHOOK_THREADS", default: 2)

    @Option(help: "Most webhooks one storing thread writes in one commit (env MLC_WEBHOOK_BATCH).")
    var webhookBatch: Int = Environment.int("MLC_WEBHOOK_BATCH", default: 256)

    @Option(help: "Seconds to let requests and jobs in flight finish on shutdown (env MLC_SHUTDOWN_TIMEOUT).")
    var shutdownTimeout: Int = Environment.int("MLC_SHUTDOWN_TIMEOUT", default: 10)

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp(
        "PEM certificate chain to serve HTTPS with (env MLC_TLS_CERT); needs --tls-key.", valueName: "path"))
    var tlsCert: String? = Environment.string("MLC_TLS_CERT")

    @Option(name: .customLong("tls-key"), help: ArgumentHelp(
        "PEM private key of --tls-cert, unencrypted, mode 600 (env MLC_TLS_KEY).", valueName: "path"))
    var tlsKey: String? = Environment.string("MLC_TLS_KEY")

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard (0...256).contains(workers) else { throw ValidationError("--workers must be between 0 and 256") }
        guard (1...100_000).contains(maxConnections) else { throw ValidationError("--max-connections must be between 1 and 100000") }
        guard (1...200).contains(dbPoolSize) else { throw ValidationError("--db-pool-size must be between 1 and 200") }
        guard (1...256).contains(webhookThreads) else { throw ValidationError("--webhook-threads must be between 1 and 256") }
        guard (1...4096).contains(webhookBatch) else { throw ValidationError("--webhook-batch must be between 1 and 4096") }
        guard shutdownTimeout >= 0 else { throw ValidationError("--shutdown-timeout must not be negative") }
        guard (tlsCert == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-cert and --tls-key (MLC_TLS_CERT, MLC_TLS_KEY) go together: give both or neither")
        }
    }

    /// The listener's TLS setting, nil for plain HTTP. Warns (does not refuse: the operator may
    /// have reasons, e.g. a group-readable secrets mount) when others can read the key.
    func tlsConfiguration(logger: Logger) -> TLSConfiguration? {
        guard let tlsCert, let tlsKey else { return nil }
        var info = stat()
        if stat(tlsKey, &info) == 0 && info.st_mode & 0o077 != 0 {
            logger.warning("the TLS private key file is readable or writable by group or others; run chmod 600 on it", metadata: [
                "path": .string(tlsKey), "mode": .string(String(info.st_mode & 0o777, radix: 8)),
            ])
        }
        return TLSConfiguration(certificateChainPath: tlsCert, privateKeyPath: tlsKey)
    }

    func run() throws {
        let logger = bootstrapLogging(level: database.logLevel, label: "mlc.serve")
        let signals = ShutdownSignals.shared
        let session: DatabaseSession
        let pool: ConnectionPool
        let plane: ControlPlane
        let relay: AgentRelay
        do {
            // The database first: it creates --home readable by the PostgreSQL service user; the
            // key file inside it is 0600 either way.
            session = try DatabaseSession(options: database, logger: logger, ownsServer: true)
            let keyring = try MasterKeyOptions.loadKeyring(database: database, logger: logger)
            try session.migrate(schemaDirectory: try database.schemaDirectory(), logger: logger)
            pool = ConnectionPool(conninfo: session.conninfo, maxConnections: dbPoolSize)
            // One agent relay per process: the API's long polls and the workers' relayed GP calls
            // share its NOTIFY listener.
            relay = AgentRelay(conninfo: session.conninfo, logger: Logger(label: "mlc.agent.relay"))
            var configuration = ControlPlane.Configuration()
            configuration.openAPIPath = try database.openAPIPath()
            configuration.probe = LiveTenantProbe(agentRelay: relay)
            configuration.agentRelay = relay
            configuration.webhookSinkThreads = webhookThreads
            configuration.tenantChangesConninfo = session.conninfo
            configuration.webhookMaxBatch = webhookBatch
            // One queue (and kind registry) for the API and the workers: a job the API enqueues is
            // stamped with its kind's GP use and attempt budget even in an API-only process.
            plane = ControlPlane(pool: pool, keyring: keyring, logger: Logger(label: "mlc.api"),
                                 queue: JobQueue(registry: JobRegistry()), configuration: configuration)
            ConnectorJobs(tenants: plane.tenants, logger: Logger(label: "mlc.jobs")).register(on: plane.queue)
            // A wrong master key stops start-up here, never later with garbage secrets.
            try plane.tenants.checkKeys()
        } catch {
            logger.critical("cannot start", metadata: ["error": .string("\(error)")])
            signals.runHandlers()
            throw ExitCode.failure
        }
        let metrics = Metrics()

        var router = Router()
        SystemRoutes(pool: pool, metrics: metrics).register(on: &router)
        plane.register(on: &router)
        plane.registerMetrics(on: metrics)

        let tls = tlsConfiguration(logger: logger)
        let server = HTTPServer(
            configuration: ServerConfiguration(host: host, port: port, maxConnections: maxConnections, tls: tls),
            router: router, logger: Logger(label: "mlc.http"), observer: metrics.httpObserver())
        do {
            try server.start()
        } catch {
            logger.critical("cannot listen", metadata: ["host": .string(host), "port": "\(port)", "error": .string("\(error)"),
                                                        "code": .string((error as? HTTPServerError)?.code ?? "unknown")])
            pool.close()
            signals.runHandlers()
            throw ExitCode.failure
        }
        metrics.trackConnections(of: server)
        logger.info("listening", metadata: ["host": .string(host), "port": "\(server.port)", "workers": "\(workers)",
                                             "scheme": .string(tls == nil ? "http" : "https")])

        // Workers and scheduler (none with --workers 0); on SIGTERM they stop after the HTTP
        // server and before the pool and the database.
        let runtime = workers > 0 ? ConnectorRuntime(conninfo: session.conninfo, tenants: plane.tenants, workers: workers, queue: plane.queue,
                                                        agentRelay: relay) : nil
        var workersFailed = false
        do { try runtime?.start() } catch {
            logger.critical("cannot start the workers", metadata: ["error": .string("\(error)")])
            workersFailed = true
            signals.fire(reason: "worker start failed")
        }
        signals.wait()
        logger.info("stopping", metadata: ["reason": .string(signals.reason ?? "signal")])
        // Agents' long polls answer now, so the server's drain does not wait them out.
        relay.stop()
        server.shutdown(timeout: .seconds(shutdownTimeout))
        plane.shutdown()
        if !workersFailed { runtime?.shutdown(grace: Double(shutdownTimeout)) }
        relay.close()
        pool.close()
        signals.runHandlers()
        logger.info("stopped")
        if workersFailed { throw ExitCode.failure }
    }
}
