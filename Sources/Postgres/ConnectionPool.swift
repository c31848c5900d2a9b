import CLibPQ
import Foundation
import Logging

/// What `/metrics` shows about a pool.
public struct PoolStats: Sendable, Equatable {
    public let inUse: Int
    public let idle: Int
    public let max: Int

    public init(inUse: Int, idle: Int, max: Int) {
        self.inUse = inUse
        self.idle = idle
        self.max = max
    }
}

/// A bounded set of connections for request threads. `withConnection` lends one connection to
/// the calling thread, opening a new one while fewer than `maxConnections` exist, otherwise
/// blocking until one is returned or `acquireTimeout` passes (`pool_exhausted`).
///
/// It hands out only healthy connections: an idle connection whose socket has something to say
/// (the server closing it, e.g. after a restart) is checked with a round trip and dropped if
/// dead; a connection that broke while lent, or came back inside a transaction that cannot be
/// rolled back, is discarded rather than reused.
///
/// ```swift
/// let pool = ConnectionPool(conninfo: url, maxConnections: 8)
/// let count = try pool.withConnection { try $0.query("SELECT count(*) FROM jobs", [])[0].decode(0, as: Int.self) }
/// ```
public final class ConnectionPool: @unchecked Sendable {
    public let maxConnections: Int
    public let acquireTimeout: Duration
    private let conninfo: String
    private let logger: Logger
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var idle: [Connection] = []
    private var lent = 0
    private var closed = false

    public init(conninfo: String, maxConnections: Int = 10, acquireTimeout: Duration = .seconds(5),
                logger: Logger = Logger(label: "mlc.postgres.pool")) {
        self.conninfo = conninfo
        self.maxConnections = max(1, maxConnections)
        self.acquireTimeout = acquireTimeout
        self.logger = logger
    }

    /// Lends a connection to `body` on the calling thread and takes it back afterwards, also when
    /// `body` throws. Blocks while the pool is exhausted, up to `acquireTimeout`.
    public func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        let connection = try acquire()
        let value: T
        do { value = try body(connection) } catch {
            giveBack(connection, failure: error)
            throw error
        }
        giveBack(connection, failure: nil)
        return value
    }

    public var stats: PoolStats {
        condition.lock()
        defer { condition.unlock() }
        return PoolStats(inUse: lent, idle: idle.count, max: maxConnections)
    }

    /// Closes idle connections and refuses new borrowers; lent ones close when given back.
    public func close() {
        condition.lock()
        closed = true
        let dropped = idle
        idle = []
        condition.broadcast()
        condition.unlock()
        _ = dropped
    }

    private enum Slot { case reuse(Connection), open }

    private func acquire() throws -> Connection {
        let deadline = Date().addingTimeInterval(acquireTimeout.timeInterval)
        while true {
            switch try reserveSlot(until: deadline) {
            case .open:
                do { return try Connection(conninfo, logger: logger) } catch {
                    returnSlot()
                    throw error
                }
            case .reuse(let connection):
                if ConnectionPool.isUsable(connection) { return connection }
                logger.info("discarding a dead pooled connection")
                returnSlot()
            }
        }
    }

    private func reserveSlot(until deadline: Date) throws -> Slot {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if closed { throw PostgresError(.poolExhausted, "the connection pool is closed") }
            if let connection = idle.popLast() {
                lent += 1
                return .reuse(connection)
            }
            if lent < maxConnections {
                lent += 1
                return .open
            }
            if !condition.wait(until: deadline) {
                throw PostgresError(.poolExhausted,
                                    "all \(maxConnections) database connections stayed busy for \(acquireTimeout)")
            }
        }
    }

    private func returnSlot() {
        condition.lock()
        lent -= 1
        condition.signal()
        condition.unlock()
    }

    private func giveBack(_ connection: Connection, failure: Error?) {
        var keep = connection.isHealthy
        if let failure = failure as? PostgresError, failure.code == .connectionLost { keep = false }
        if keep && connection.inTransaction {
            connection.rollbackQuietly()
            keep = connection.isHealthy && !connection.inTransaction
        }
        condition.lock()
        lent -= 1
        if keep && !closed { idle.append(connection) }
        condition.signal()
        condition.unlock()
    }

    /// Cheap when nothing happened: an idle session's socket has nothing to read. If it does,
    /// the server probably said goodbye; read it and confirm with a round trip.
    static func isUsable(_ connection: Connection) -> Bool {
        guard connection.isHealthy, !connection.inTransaction else { return false }
        var descriptor = pollfd(fd: PQsocket(connection.handle), events: Int16(POLLIN), revents: 0)
        if poll(&descriptor, 1, 0) == 0 { return true }
        guard PQconsumeInput(connection.handle) == 1, connection.isHealthy else { return false }
        while let notice = PQnotifies(connection.handle) { PQfreemem(notice) }
        return (try? connection.query("SELECT 1", [])) != nil
    }
}

extension Duration {
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
