import ArgumentParser
import Connector
import Foundation
import Logging
import Postgres

/// `ml-connector worker`: the job workers and the scheduler without the HTTP server. Run as many
/// as needed against one database; claims, GP slots and schedule ticks are coordinated there.
struct Worker: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run job workers and the scheduler only (scale out against one database).",
        discussion: """
        Uses --database-url (DATABASE_URL), or the embedded PostgreSQL under --home when a serve \
        process started it. Migrations are applied at start. SIGINT or SIGTERM stops claiming, lets \
        running jobs finish (up to --shutdown-timeout), releases the rest and exits.
        """)

    @Option(help: "Worker threads running jobs (env MLC_WORKERS).")
    var workers: Int = Environment.int("MLC_WORKERS", default: 2)

    @Option(help: "Seconds to let running jobs finish on shutdown (env MLC_SHUTDOWN_TIMEOUT).")
    var shutdownTimeout: Int = Environment.int("MLC_SHUTDOWN_TIMEOUT", default: 10)

    @Option(help: "Seconds a claimed job stays ours without a heartbeat; after a crash others take it over then (env MLC_LEASE_SECONDS).")
    var leaseSeconds: Int = Environment.int("MLC_LEASE_SECONDS", default: 60)

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (1...256).contains(workers) else { throw ValidationError("--workers must be between 1 and 256") }
        guard (2...3600).contains(leaseSeconds) else { throw ValidationError("--lease-seconds must be between 2 and 3600") }
        guard shutdownTimeout >= 0 else { throw ValidationError("--shutdown-timeout must not be negative") }
    }

    func run() throws {
        let logger = bootstrapLogging(level: database.logLevel, label: "mlc.worker")
        let signals = ShutdownSignals.shared
        let pool: ConnectionPool
        let runtime: ConnectorRuntime
        do {
            let session = try DatabaseSession(options: database, logger: logger)
            let keyring = try MasterKeyOptions.loadKeyring(database: database, logger: logger)
            try session.migrate(schemaDirectory: try database.schemaDirectory(), logger: logger)
            pool = ConnectionPool(conninfo: session.conninfo, maxConnections: 4)
            let tenants = TenantStore(pool: pool, vault: Vault(keyring: keyring), validator: .standard)
            try tenants.checkKeys()
            let lease = Double(leaseSeconds)
            runtime = ConnectorRuntime(conninfo: session.conninfo, tenants: tenants, workers: workers, configure: {
                $0.leaseSeconds = lease
                $0.heartbeatInterval = min($0.heartbeatInterval, lease / 3)
            })
            try runtime.start()
        } catch {
            logger.critical("cannot start", metadata: ["error": .string("\(error)")])
            signals.runHandlers()
            throw ExitCode.failure
        }
        logger.info("working", metadata: ["workers": "\(workers)", "owner": .string(runtime.pool.owner)])
        signals.wait()
        logger.info("stopping", metadata: ["reason": .string(signals.reason ?? "signal")])
        runtime.shutdown(grace: Double(shutdownTimeout))
        pool.close()
        signals.runHandlers()
        logger.info("stopped")
    }
}
