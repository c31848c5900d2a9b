import Foundation
import Logging
import Postgres

/// The database a command runs against: the given URL, or the embedded PostgreSQL it starts (and
/// must stop on exit). Migrations are applied under an advisory lock, so many processes may start
/// at once.
final class DatabaseSession: @unchecked Sendable {
    let conninfo: String
    let embedded: EmbeddedPostgres?

    init(options: DatabaseOptions, logger: Logger) throws {
        if let url = options.databaseURL {
            conninfo = url
            embedded = nil
            logger.info("using the database given", metadata: ["database": .string(ConnInfo.redacted(url))])
        } else {
            let server = EmbeddedPostgres(home: options.homeURL.path, logger: logger)
            logger.info("starting the embedded PostgreSQL", metadata: ["home": .string(options.homeURL.path)])
            conninfo = try server.start()
            embedded = server
            // Stop it on SIGINT/SIGTERM and on a normal exit; no postgres process may outlive us.
            ShutdownSignals.shared.onShutdown { server.stop() }
        }
    }

    /// Applies every migration not yet recorded; returns how many were applied.
    @discardableResult
    func migrate(schemaDirectory: URL, logger: Logger) throws -> Int {
        let migrator = try Migrator(directory: schemaDirectory.path)
        let connection = try Connection(conninfo, logger: logger)
        let applied = try migrator.migrate(connection, logger: logger)
        for migration in applied {
            logger.info("migration applied", metadata: ["version": "\(migration.version)", "name": .string(migration.name)])
        }
        logger.info("schema up to date", metadata: ["applied": "\(applied.count)", "known": "\(migrator.migrations.count)"])
        return applied.count
    }

    func stop() { embedded?.stop() }
}
