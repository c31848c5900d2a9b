import Foundation
import Logging

/// One schema change: `NNN_name.sql` → version NNN, its name and SQL.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// `002_add_price`, as the file is named.
    public var label: String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 3 - digits.count)) + digits + "_" + name
    }
}

/// Applies numbered SQL migrations in order, each inside its own transaction, and records them
/// in `schema_migrations(version, name, applied_at, checksum)`.
///
/// A session advisory lock serialises concurrent runs, so two processes starting at once never
/// both apply a migration: the second waits, then finds everything applied. Running again is a
/// no-op. A file changed after it was applied stops the run with `checksum_mismatch` (write a new
/// migration instead). Migration files must not contain BEGIN/COMMIT themselves.
///
/// ```swift
/// let applied = try Migrator(directory: "Schema").migrate(connection)
/// ```
public struct Migrator: Sendable {
    /// Key of the `pg_advisory_lock` held while migrating.
    public static let lockKey: Int64 = 0x6D6C_635F_7363_6865  // "mlc_sche"

    public let migrations: [Migration]

    /// Migrations sorted by version; duplicate versions are an error.
    public init(migrations: [Migration]) throws {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.version == b.version {
            throw PostgresError(.migrationFailed, "two migrations have version \(a.version): \(a.name), \(b.name)")
        }
        self.migrations = sorted
    }

    /// Reads every `NNN_name.sql` in `directory`. Other files are ignored; a `.sql` file whose
    /// name does not start with digits and `_` is an error (probably a typo).
    public init(directory: String) throws {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw PostgresError(.migrationFailed, "cannot read migration directory \(directory): \(error.localizedDescription)")
        }
        var found: [Migration] = []
        for file in names where file.hasSuffix(".sql") {
            let stem = file.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]),
                  version >= 0 else {
                throw PostgresError(.migrationFailed, "migration file \(file) is not named NNN_name.sql")
            }
            let path = (directory as NSString).appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw PostgresError(.migrationFailed, "cannot read migration file \(path)")
            }
            found.append(Migration(version: version, name: String(stem[stem.index(after: underscore)...]),
                                   sql: String(decoding: data, as: UTF8.self)))
        }
        try self.init(migrations: found)
    }

    /// Applies the migrations not yet recorded and returns them, in order.
    public func migrate(_ connection: Connection,
                        logger: Logger = Logger(label: "mlc.postgres.migrator")) throws -> [Migration] {
        _ = try connection.query("SELECT pg_advisory_lock($1)", Migrator.lockKey)
        defer { _ = try? connection.query("SELECT pg_advisory_unlock($1)", Migrator.lockKey) }
        try connection.executeScript("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                checksum text NOT NULL)
            """)
        var recorded: [Int: String] = [:]
        for row in try connection.query("SELECT version, checksum FROM schema_migrations", []) {
            recorded[try row.decode("version")] = try row.decode("checksum", as: String.self)
        }
        var applied: [Migration] = []
        for migration in migrations {
            let checksum = try connection.query("SELECT encode(sha256($1), 'hex')", [.bytea(Array(migration.sql.utf8))])[0]
                .decode(0, as: String.self)
            if let previous = recorded[migration.version] {
                guard previous == checksum else {
                    throw PostgresError(.checksumMismatch, "migration \(migration.label) changed "
                        + "after it was applied; add a new migration instead of editing an applied one")
                }
                continue
            }
            do {
                try connection.transaction { conn in
                    try conn.executeScript(migration.sql)
                    try conn.execute("INSERT INTO schema_migrations (version, name, applied_at, checksum) "
                        + "VALUES ($1, $2, now(), $3)", migration.version, migration.name, checksum)
                }
            } catch let error as PostgresError {
                throw PostgresError(.migrationFailed, "migration \(migration.label) failed: \(error.message)",
                                    sqlState: error.sqlState, detail: error.detail, hint: error.hint,
                                    constraint: error.constraint, table: error.table, column: error.column)
            }
            logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            applied.append(migration)
        }
        return applied
    }
}
