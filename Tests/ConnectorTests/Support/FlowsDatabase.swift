import Foundation
import Postgres
import TestSupport

/// A fresh database with the records schema (003) for one test.
enum FlowsDatabase {
    static let schemaDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Schema")

    static func connection(_ label: String = "flows") throws -> Connection {
        let conninfo = try TestDatabase.shared.freshDatabase(label)
        let conn = try Connection(conninfo)
        let sql = try String(contentsOf: schemaDirectory.appendingPathComponent("003_records.sql"), encoding: .utf8)
        try conn.executeScript(sql)
        return conn
    }
}

extension FlowsDatabase {
    /// Like `connection`, but returns the conninfo (for tests that open their connection on another thread).
    static func connectionInfo(_ label: String) throws -> String {
        let conninfo = try TestDatabase.shared.freshDatabase(label)
        let conn = try Connection(conninfo)
        try conn.executeScript(try String(contentsOf: schemaDirectory.appendingPathComponent("003_records.sql"), encoding: .utf8))
        return conninfo
    }
}
