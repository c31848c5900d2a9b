import ArgumentParser
import Logging

/// `ml-connector migrate`: applies `Schema/*.sql` in order, recorded in `schema_migrations`.
struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the SQL migrations in Schema/ that the database has not seen yet.",
        discussion: "Each file NNN_name.sql runs once, in order, in its own transaction, under an advisory lock; serve does this at start too.")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let logger = bootstrapLogging(level: database.logLevel, label: "mlc.migrate")
        let session = try DatabaseSession(options: database, logger: logger)
        defer { session.stop() }
        do {
            try session.migrate(schemaDirectory: try database.schemaDirectory(), logger: logger)
        } catch {
            logger.error("migration failed", metadata: ["error": .string("\(error)")])
            throw ExitCode.failure
        }
    }
}
