/// Every failure the Postgres module reports: a stable snake_case `code`, a human `message`, and
/// for server errors the SQLSTATE and its diagnostic fields.
///
/// Messages never carry a password: connection errors are scrubbed of the conninfo's password
/// before they are built (see `ConnInfo.scrub`).
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The server could not be reached or refused the connection for a reason other than auth.
        case connectionFailed = "connection_failed"
        /// Wrong password, unknown role, or no pg_hba entry.
        case authFailed = "auth_failed"
        /// The server answered a statement with an error; see `sqlState`.
        case queryFailed = "query_failed"
        /// The connection broke during or before a statement (server restart, network loss).
        case connectionLost = "connection_lost"
        /// COMMIT found the transaction already aborted and rolled it back.
        case transactionRolledBack = "transaction_rolled_back"
        /// A NULL arrived where a non-optional type was asked for.
        case unexpectedNull = "unexpected_null"
        /// A value's text could not be read as the requested Swift type.
        case decodingFailed = "decoding_failed"
        /// A row has no column with the requested name or index.
        case columnNotFound = "column_not_found"
        /// A parameter cannot be sent (e.g. a NUL byte inside a text value).
        case invalidParameter = "invalid_parameter"
        /// No pool connection became free within the acquire timeout.
        case poolExhausted = "pool_exhausted"
        /// A migration file is malformed or failed to apply.
        case migrationFailed = "migration_failed"
        /// An already applied migration file has changed since it was applied.
        case checksumMismatch = "checksum_mismatch"
        /// The embedded PostgreSQL server could not be set up, started or stopped.
        case embeddedServerFailed = "embedded_server_failed"
    }

    public let code: Code
    public let message: String
    /// Five-character SQLSTATE for server errors, e.g. `23505` for a unique violation.
    public var sqlState: String?
    public var detail: String?
    public var hint: String?
    public var constraint: String?
    public var table: String?
    public var column: String?

    public init(_ code: Code, _ message: String, sqlState: String? = nil, detail: String? = nil,
                hint: String? = nil, constraint: String? = nil, table: String? = nil, column: String? = nil) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.table = table
        self.column = column
    }

    /// `23505`: the row collides with a unique index (see `constraint` for which).
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// `40001` / `40P01`: the transaction lost a race and may simply be retried.
    public var isRetryableConflict: Bool { sqlState == "40001" || sqlState == "40P01" }
    /// True when the connection itself is unusable (the pool then discards it).
    public var isConnectionProblem: Bool { code == .connectionLost || code == .connectionFailed }

    public var description: String {
        var text = "\(code.rawValue): \(message)"
        if let sqlState { text += " [SQLSTATE \(sqlState)]" }
        if let constraint { text += " (constraint \(constraint))" }
        return text
    }
}
