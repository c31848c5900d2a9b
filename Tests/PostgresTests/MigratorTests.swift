import Foundation
import Postgres
import TestSupport
import Testing

@Suite(.serialized)
struct MigratorTests {
    let conninfo: String
    let directory: String

    init() throws {
        conninfo = try TestDatabase.shared.freshDatabase("migrate")
        directory = NSTemporaryDirectory() + "mlc-migrations-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try write("010_add_index.sql", "CREATE INDEX items_name ON items (name);")
        try write("001_create_items.sql", "CREATE TABLE items (id int PRIMARY KEY, name text);")
        try write("002_add_price.sql", "ALTER TABLE items ADD COLUMN price numeric(12,2);\nSELECT pg_sleep(0.2);")
        try write("README.md", "not a migration")
    }

    func write(_ name: String, _ sql: String) throws {
        try sql.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
    }

    func recorded(_ conn: Connection) throws -> [Int] {
        try conn.query("SELECT version FROM schema_migrations ORDER BY version", []).map { try $0.decode(0) }
    }

    @Test func migrationsApplyInNumericOrderAndAreRecorded() throws {
        let conn = try Connection(conninfo)
        let applied = try Migrator(directory: directory).migrate(conn)
        #expect(applied.map(\.version) == [1, 2, 10])
        #expect(applied.map(\.name) == ["create_items", "add_price", "add_index"])
        #expect(try recorded(conn) == [1, 2, 10])
        let row = try conn.query("SELECT name, checksum, applied_at FROM schema_migrations WHERE version = 2", [])[0]
        #expect(try row.decode("name", as: String.self) == "add_price")
        #expect(try row.decode("checksum", as: String.self).count == 64)
        #expect(abs(try row.decode("applied_at", as: Date.self).timeIntervalSinceNow) < 300)
        try conn.execute("INSERT INTO items (id, name, price) VALUES ($1, $2, $3)", 1, "a", Decimal(string: "9.99")!)
    }

    @Test func applyingAgainIsANoOp() throws {
        let conn = try Connection(conninfo)
        _ = try Migrator(directory: directory).migrate(conn)
        #expect(try Migrator(directory: directory).migrate(conn).isEmpty)
        try write("003_more.sql", "ALTER TABLE items ADD COLUMN note text;")
        #expect(try Migrator(directory: directory).migrate(conn).map(\.version) == [3])
        #expect(try recorded(conn) == [1, 2, 3, 10])
    }

    @Test func anEditedAppliedMigrationIsAChecksumMismatch() throws {
        let conn = try Connection(conninfo)
        _ = try Migrator(directory: directory).migrate(conn)
        try write("002_add_price.sql", "ALTER TABLE items ADD COLUMN price numeric(14,2);")
        let error = #expect(throws: PostgresError.self) { try Migrator(directory: directory).migrate(conn) }
        #expect(error?.code == .checksumMismatch)
        #expect(error?.message.contains("002_add_price") == true)
    }

    @Test func aFailingMigrationIsRolledBackAndNotRecorded() throws {
        let conn = try Connection(conninfo)
        try write("020_broken.sql", "CREATE TABLE half (x int);\nINSERT INTO nowhere VALUES (1);")
        let error = #expect(throws: PostgresError.self) { try Migrator(directory: directory).migrate(conn) }
        #expect(error?.code == .migrationFailed)
        #expect(error?.sqlState == "42P01")
        #expect(try recorded(conn) == [1, 2, 10])
        let half = try conn.query("SELECT to_regclass('half') IS NULL", [])[0].decode(0, as: Bool.self)
        #expect(half)
        #expect(!conn.inTransaction)
    }

    @Test func twoMigratorsStartingAtOnceApplyEachMigrationOnce() throws {
        let start = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        let results = ResultBox()
        for _ in 0..<2 {
            group.enter()
            Thread.detachNewThread { [conninfo, directory] in
                defer { group.leave() }
                do {
                    let conn = try Connection(conninfo)
                    let migrator = try Migrator(directory: directory)
                    start.wait()
                    results.add(.success(try migrator.migrate(conn).map(\.version)))
                } catch {
                    results.add(.failure(error))
                }
            }
        }
        start.signal(); start.signal()
        group.wait()
        let versions = try results.all.map { try $0.get() }
        #expect(versions.count == 2)
        #expect(versions.flatMap { $0 }.sorted() == [1, 2, 10])
        #expect(try recorded(try Connection(conninfo)) == [1, 2, 10])
    }

    @Test func aBadlyNamedSQLFileIsRejected() throws {
        try write("add_things.sql", "SELECT 1;")
        #expect { try Migrator(directory: directory) } throws: { ($0 as? PostgresError)?.code == .migrationFailed }
    }

    @Test func duplicateVersionsAreRejected() throws {
        #expect(throws: PostgresError.self) {
            try Migrator(migrations: [Migration(version: 1, name: "a", sql: ""), Migration(version: 1, name: "b", sql: "")])
        }
    }
}

final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Result<[Int], Error>] = []
    func add(_ value: Result<[Int], Error>) { lock.withLock { values.append(value) } }
    var all: [Result<[Int], Error>] { lock.withLock { values } }
}
