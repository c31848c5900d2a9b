extension Connection {
    public enum IsolationLevel: String, Sendable {
        case readCommitted = "READ COMMITTED"
        case repeatableRead = "REPEATABLE READ"
        case serializable = "SERIALIZABLE"
    }

    /// Runs `body` inside BEGIN … COMMIT. Any error thrown by `body` rolls back and is rethrown;
    /// a COMMIT that fails, or that the server turned into a ROLLBACK because a statement inside
    /// failed (and the error was swallowed), throws. Called inside a transaction it uses a
    /// savepoint instead, so nested calls roll back only their own part.
    public func transaction<T>(isolation: IsolationLevel? = nil, _ body: (Connection) throws -> T) throws -> T {
        if inTransaction { return try savepoint(body) }
        try executeScript(isolation.map { "BEGIN ISOLATION LEVEL \($0.rawValue)" } ?? "BEGIN")
        let value: T
        do {
            value = try body(self)
        } catch {
            rollbackQuietly()
            throw error
        }
        let commit: QueryResult
        do { commit = try query("COMMIT", []) } catch {
            rollbackQuietly()
            throw error
        }
        if commit.commandTag == "ROLLBACK" {
            throw PostgresError(.transactionRolledBack,
                                "the transaction was rolled back at COMMIT because a statement inside it failed")
        }
        return value
    }

    private func savepoint<T>(_ body: (Connection) throws -> T) throws -> T {
        let name = "mlc_sp_\(UInt32.random(in: 0...UInt32.max))"
        try executeScript("SAVEPOINT \(name)")
        do {
            let value = try body(self)
            try executeScript("RELEASE SAVEPOINT \(name)")
            return value
        } catch {
            try? executeScript("ROLLBACK TO SAVEPOINT \(name)")
            throw error
        }
    }

    /// Best effort: if the connection is gone the server has already rolled back.
    func rollbackQuietly() {
        guard inTransaction, isHealthy else { return }
        do { try executeScript("ROLLBACK") } catch {
            logger.warning("rollback failed", metadata: ["error": "\(error)"])
        }
    }
}
