import CLibPQ

extension Connection {
    /// Prepares `sql` under `name` on this session. Preparing the same name with the same SQL again
    /// is a no-op, so pool borrowers can call it before each use. `types` fixes parameter type
    /// OIDs (empty: the server infers them).
    public func prepare(name: String, sql: String, types: [UInt32] = []) throws {
        if let existing = preparedStatements[name] {
            if existing == sql { return }
            try executeScript("DEALLOCATE \(try quoteIdentifier(name))")
            preparedStatements[name] = nil
        }
        let result = types.withUnsafeBufferPointer { types in
            PQprepare(handle, name, sql, Int32(types.count), types.baseAddress)
        }
        _ = try check(result)
        preparedStatements[name] = sql
    }

    /// Executes a statement prepared with `prepare(name:sql:)` on this connection.
    public func queryPrepared(_ name: String, _ params: [PostgresValue?]) throws -> QueryResult {
        guard preparedStatements[name] != nil else {
            throw PostgresError(.invalidParameter, "statement \(name) is not prepared on this connection")
        }
        let result = try Connection.withParameters(params) { count, _, values, lengths, formats in
            PQexecPrepared(handle, name, count, values, lengths, formats, 0)
        }
        return try check(result)
    }

    public func queryPrepared(_ name: String, _ params: (any PostgresEncodable)?...) throws -> QueryResult {
        try queryPrepared(name, params.map { $0?.postgresValue })
    }

    /// Like `query`, but prepares the statement on first use and reuses it on this connection
    /// afterwards (parsed and planned once). For hot statements in workers and the pool.
    public func queryCached(_ sql: String, _ params: [PostgresValue?]) throws -> QueryResult {
        let types = params.map { $0?.typeOID ?? 0 }
        let key = types.map(String.init).joined(separator: ",") + "|" + sql
        if let name = statementCache[key] { return try queryPrepared(name, params) }
        let name = "mlc_c\(statementCache.count + 1)"
        try prepare(name: name, sql: sql, types: types)
        statementCache[key] = name
        return try queryPrepared(name, params)
    }

    public func queryCached(_ sql: String, _ params: (any PostgresEncodable)?...) throws -> QueryResult {
        try queryCached(sql, params.map { $0?.postgresValue })
    }
}
