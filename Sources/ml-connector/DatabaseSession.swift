import ArgumentParser
import Foundation
import Logging
import Postgres

/// The database a command runs against: the given URL, or the embedded PostgreSQL it starts (and
/// must stop on exit). Migrations are applied under an advisory lock, so many processes may start
/// at once.
final class DatabaseSession: @unchecked Sendable {
    let conninfo: String
    let embedded: EmbeddedPostgres?
    let ownsServer: Bool

    /// `ownsServer`: stop the embedded server on exit even when it was already running (serve
    /// adopts a server left by a crash). Short commands pass false and leave a running one alone.
    init(options: DatabaseOptions, logger: Logger, ownsServer: Bool = false) throws {
        if let url = options.databaseURL {
            conninfo = url
            embedded = nil
            self.ownsServer = false
            logger.info("using the database given", metadata: ["database": .string(ConnInfo.redacted(url))])
        } else {
            let server = EmbeddedPostgres(home: options.homeURL.path, logger: logger)
            self.ownsServer = ownsServer
            logger.info("starting the embedded PostgreSQL", metadata: ["home": .string(options.homeURL.path)])
            conninfo = try server.start()
            embedded = server
            // Stop it on SIGINT/SIGTERM and on a normal exit; no postgres process may outlive us.
            ShutdownSignals.shared.onShutdown { server.stop(onlyIfStarted: !ownsServer) }
        }
    }

    /// Applies every migration not yet recorded; returns how many were applied.
    @discardableResult
    func migrate(schemaDirectory: URL, logger: Logger) throws -> Int {
        let migrator = try Migrator(directory: schemaDirectory.path)
        let connection = try Connection(conninfo, logger: logger)
        let applied = try migrator.migrate(connection, logger: logger)
        logger.info("schema up to date", metadata: ["applied": "\(applied.count)", "known": "\(migrator.migrations.count)"])
        return applied.count
    }

    func stop() { embedded?.stop(onlyIfStarted: !ownsServer) }
}

extension DatabaseSession {
    /// For short commands (`tokens`, `keys`): open the database (leaving a running embedded
    /// server of `serve` alone), apply migrations, and lend `body` a one-connection pool. A
    /// database that cannot be opened is logged and exits 1; errors from `body` are the caller's.
    static func withMigratedPool<T>(_ options: DatabaseOptions, logger: Logger,
                                    _ body: (ConnectionPool) throws -> T) throws -> T {
        let session: DatabaseSession
        do {
            session = try DatabaseSession(options: options, logger: logger)
        } catch {
            logger.error("cannot open the database", metadata: ["error": .string("\(error)")])
            throw ExitCode.failure
        }
        defer { session.stop() }
        let pool = ConnectionPool(conninfo: session.conninfo, maxConnections: 1)
        defer { pool.close() }
        try session.migrate(schemaDirectory: try options.schemaDirectory(), logger: logger)
        return try body(pool)
    }
}
