import Foundation
import Postgres
import Testing
@testable import Queue

/// Every suite that needs PostgreSQL is nested here, so they run one after another: one of them
/// restarts the server.
@Suite(.serialized) struct QueueDatabaseTests {}

/// A fresh database and a connection to it.
struct QueueFixture {
    let conninfo: String
    let conn: Connection
    let registry: JobRegistry
    let queue: JobQueue

    init(_ name: String) throws {
        conninfo = try TestCluster.shared.freshDatabase(name)
        conn = try Connection(conninfo)
        registry = JobRegistry()
        queue = JobQueue(registry: registry)
    }

    func count(_ sql: String, _ params: (any PostgresEncodable)?...) throws -> Int {
        try conn.query(sql, params)[0].decode(0)
    }

    func state(_ id: Int64) throws -> JobState { try queue.job(conn, id: id).job.state }
}

extension Connection {
    func query(_ sql: String, _ params: [(any PostgresEncodable)?]) throws -> QueryResult {
        try query(sql, params.map { $0?.postgresValue })
    }
}
