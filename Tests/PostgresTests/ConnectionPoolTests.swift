import Foundation
import Postgres
import TestSupport
import Testing

@Suite(.serialized)
struct ConnectionPoolTests {
    let conninfo: String

    init() throws {
        conninfo = try TestDatabase.shared.freshDatabase("pool")
    }

    /// Holds `count` connections on background threads until `release` is signalled.
    func hold(_ pool: ConnectionPool, count: Int, release: DispatchSemaphore) -> DispatchGroup {
        let group = DispatchGroup()
        let holding = DispatchSemaphore(value: 0)
        for _ in 0..<count {
            group.enter()
            Thread.detachNewThread {
                _ = try? pool.withConnection { _ in holding.signal(); release.wait() }
                group.leave()
            }
        }
        for _ in 0..<count { holding.wait() }
        return group
    }

    @Test func thePoolNeverOpensMoreThanItsBoundAndTimesOutWhenExhausted() throws {
        let pool = ConnectionPool(conninfo: conninfo, maxConnections: 2, acquireTimeout: .milliseconds(300))
        let release = DispatchSemaphore(value: 0)
        let group = hold(pool, count: 2, release: release)
        #expect(pool.stats == PoolStats(inUse: 2, idle: 0, max: 2))
        let error = #expect(throws: PostgresError.self) { try pool.withConnection { _ in } }
        #expect(error?.code == .poolExhausted)
        release.signal(); release.signal()
        group.wait()
        #expect(pool.stats == PoolStats(inUse: 0, idle: 2, max: 2))
        let sessions = try pool.withConnection { conn in
            try conn.query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()", [])[0]
                .decode(0, as: Int.self)
        }
        #expect(sessions == 2)
    }

    @Test func aWaitingBorrowerGetsTheConnectionAsSoonAsOneIsReturned() throws {
        let pool = ConnectionPool(conninfo: conninfo, maxConnections: 1, acquireTimeout: .seconds(20))
        let release = DispatchSemaphore(value: 0)
        let group = hold(pool, count: 1, release: release)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { release.signal() }
        let value = try pool.withConnection { try $0.query("SELECT 7", [])[0].decode(0, as: Int.self) }
        #expect(value == 7)
        group.wait()
    }

    @Test func connectionsKilledWhileIdleAreReplacedWithHealthyOnes() throws {
        let pool = ConnectionPool(conninfo: conninfo, maxConnections: 3)
        let release = DispatchSemaphore(value: 0)
        let group = hold(pool, count: 3, release: release)
        for _ in 0..<3 { release.signal() }
        group.wait()
        let admin = try Connection(conninfo)
        let killed = try admin.query("""
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
            """, [])[0].decode(0, as: Int.self)
        #expect(killed == 3)
        usleep(200_000)
        for _ in 0..<5 {
            #expect(try pool.withConnection { try $0.query("SELECT 1", [])[0].decode(0, as: Int.self) } == 1)
        }
    }

    @Test func aConnectionThatBreaksWhileLentIsDiscarded() throws {
        let pool = ConnectionPool(conninfo: conninfo, maxConnections: 2)
        let admin = try Connection(conninfo)
        #expect(throws: PostgresError.self) {
            try pool.withConnection { conn in
                _ = try admin.query("SELECT pg_terminate_backend($1)", conn.backendPID)
                _ = try conn.query("SELECT 1", [])
            }
        }
        #expect(pool.stats == PoolStats(inUse: 0, idle: 0, max: 2))
        #expect(try pool.withConnection { $0.isHealthy })
    }

    @Test func aConnectionReturnedInsideATransactionIsRolledBackFirst() throws {
        let pool = ConnectionPool(conninfo: conninfo, maxConnections: 1)
        try pool.withConnection { try $0.executeScript("CREATE TABLE t (x int)") }
        try pool.withConnection { conn in
            try conn.executeScript("BEGIN")
            try conn.execute("INSERT INTO t VALUES (1)", [])
        }
        let rows = try pool.withConnection { conn in
            (conn.inTransaction, try conn.query("SELECT count(*) FROM t", [])[0].decode(0, as: Int.self))
        }
        #expect(rows.0 == false)
        #expect(rows.1 == 0)
    }
}
