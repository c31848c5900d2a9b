import Foundation
import Postgres
import TestSupport
import Testing

@Suite(.serialized)
struct ConnectionTests {
    let conninfo: String
    let conn: Connection

    init() throws {
        conninfo = try TestDatabase.shared.freshDatabase("conn")
        conn = try Connection(conninfo)
        try conn.executeScript("CREATE TABLE accounts (id int PRIMARY KEY, email text CONSTRAINT accounts_email_key UNIQUE)")
    }

    func count() throws -> Int {
        try conn.query("SELECT count(*) FROM accounts", [])[0].decode(0)
    }

    @Test func aUniqueViolationCarriesSQLStateAndConstraintName() throws {
        try conn.execute("INSERT INTO accounts VALUES ($1, $2)", 1, "a@example.com")
        let error = #expect(throws: PostgresError.self) {
            try conn.execute("INSERT INTO accounts VALUES ($1, $2)", 2, "a@example.com")
        }
        #expect(error?.code == .queryFailed)
        #expect(error?.sqlState == "23505")
        #expect(error?.isUniqueViolation == true)
        #expect(error?.constraint == "accounts_email_key")
        #expect(error?.table == "accounts")
        #expect(error?.detail?.contains("already exists") == true)
    }

    @Test func aSyntaxErrorIsAQueryFailureWithItsSQLState() throws {
        let error = #expect(throws: PostgresError.self) { try conn.query("SELEC 1", []) }
        #expect(error?.sqlState == "42601")
        #expect(conn.isHealthy)
    }

    @Test func aThrowingTransactionBodyRollsBackEverything() throws {
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try conn.transaction { tx in
                try tx.execute("INSERT INTO accounts VALUES ($1, $2)", 1, "x@example.com")
                throw Boom()
            }
        }
        #expect(try count() == 0)
        #expect(!conn.inTransaction)
    }

    @Test func aFailedStatementInsideATransactionRollsBackTheEarlierOnes() throws {
        #expect(throws: PostgresError.self) {
            try conn.transaction { tx in
                try tx.execute("INSERT INTO accounts VALUES ($1, $2)", 1, "x@example.com")
                try tx.execute("INSERT INTO accounts VALUES ($1, $2)", 1, "y@example.com")
            }
        }
        #expect(try count() == 0)
    }

    @Test func aCommitOfAnAbortedTransactionIsReportedNotSilentlyLost() throws {
        let error = #expect(throws: PostgresError.self) {
            try conn.transaction { tx in
                try tx.execute("INSERT INTO accounts VALUES ($1, $2)", 1, "x@example.com")
                _ = try? tx.execute("INSERT INTO accounts VALUES ($1, $2)", 1, "dup@example.com")
            }
        }
        #expect(error?.code == .transactionRolledBack)
        #expect(try count() == 0)
    }

    @Test func aCommittedTransactionKeepsItsRowsAndReturnsTheBodysValue() throws {
        let inserted = try conn.transaction(isolation: .serializable) { tx in
            try tx.execute("INSERT INTO accounts VALUES ($1, $2), ($3, $4)", 1, "a@x", 2, "b@x")
        }
        #expect(inserted == 2)
        #expect(try count() == 2)
    }

    @Test func aNestedTransactionRollsBackOnlyItsOwnPart() throws {
        try conn.transaction { tx in
            try tx.execute("INSERT INTO accounts VALUES ($1, $2)", 1, "outer@x")
            _ = try? tx.transaction { inner in
                try inner.execute("INSERT INTO accounts VALUES ($1, $2)", 2, "inner@x")
                try inner.execute("INSERT INTO accounts VALUES ($1, $2)", 3, "inner@x")
            }
        }
        #expect(try conn.query("SELECT id FROM accounts", []).map { try $0.decode(0, as: Int.self) } == [1])
    }

    @Test func preparedAndCachedStatementsRunWithParameters() throws {
        try conn.prepare(name: "insert_account", sql: "INSERT INTO accounts VALUES ($1, $2)")
        try conn.prepare(name: "insert_account", sql: "INSERT INTO accounts VALUES ($1, $2)")
        for id in 1...5 { _ = try conn.queryPrepared("insert_account", id, "u\(id)@x") }
        #expect(try count() == 5)
        for id in 1...5 {
            let email = try conn.queryCached("SELECT email FROM accounts WHERE id = $1", id)[0].decode(0, as: String.self)
            #expect(email == "u\(id)@x")
        }
        let cached = try conn.query("SELECT count(*) FROM pg_prepared_statements", [])[0].decode(0, as: Int.self)
        #expect(cached == 2)
        #expect(throws: PostgresError.self) { try conn.queryPrepared("never_prepared", 1) }
    }

    @Test func sessionsRunInUTCWithISODates() throws {
        let row = try conn.query("SELECT current_setting('TimeZone') AS tz, current_setting('DateStyle') AS ds", [])[0]
        #expect(try row.decode("tz", as: String.self) == "UTC")
        #expect(try row.decode("ds", as: String.self).hasPrefix("ISO"))
    }

    @Test func resetReconnectsAfterTheServerEndedTheSession() throws {
        let admin = try Connection(conninfo)
        _ = try admin.query("SELECT pg_terminate_backend($1)", conn.backendPID)
        let error = #expect(throws: PostgresError.self) { try conn.query("SELECT 1", []) }
        #expect(error?.code == .connectionLost)
        #expect(!conn.isHealthy)
        try conn.reset()
        #expect(conn.isHealthy)
        #expect(try conn.query("SELECT current_setting('TimeZone')", [])[0].decode(0, as: String.self) == "UTC")
    }

    @Test func anUnreachableServerGivesConnectionFailedWithoutThePassword() throws {
        let error = #expect(throws: PostgresError.self) {
            try Connection("postgresql://bob:Sup3rSecretPw@127.0.0.1:1/db?connect_timeout=3")
        }
        #expect(error?.code == .connectionFailed)
        #expect(error?.message.contains("Sup3rSecretPw") == false)
        #expect(error.map { "\($0)" }?.contains("Sup3rSecretPw") == false)
        let keyValue = #expect(throws: PostgresError.self) {
            try Connection("host=127.0.0.1 port=1 user=bob password='Sup3rSecretPw' connect_timeout=3")
        }
        #expect(keyValue?.message.contains("Sup3rSecretPw") == false)
    }

    @Test func aMalformedConnectionStringErrorDoesNotEchoThePassword() throws {
        let error = #expect(throws: PostgresError.self) {
            try Connection("postgresql://bob:Sup3rSecretPw@localhost:notaport/db?sslmode=Sup3rSecretPw")
        }
        #expect(error?.message.contains("Sup3rSecretPw") == false)
    }

    @Test func scrubbingRemovesPasswordsInEveryForm() {
        let url = "postgres://app:p%40ss%20word@db:5432/x"
        let message = "failed for p@ss word and p%40ss%20word; conninfo password=hunter2 postgres://u:hunter2@h/x"
        let scrubbed = ConnInfo.scrub(message, conninfo: url)
        #expect(!scrubbed.contains("p@ss word"))
        #expect(!scrubbed.contains("p%40ss%20word"))
        #expect(!scrubbed.contains("hunter2"))
        #expect(ConnInfo.redacted("host=/tmp user=app password=hunter2 dbname=x").contains("hunter2") == false)
    }
}
