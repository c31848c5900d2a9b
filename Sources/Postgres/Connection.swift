import CLibPQ
import Foundation
import Logging

/// One libpq connection: connects, configures the session, and runs statements with typed
/// parameters through a single binding path (PQexecParams / PQexecPrepared).
///
/// Used by one thread at a time (a pool hands it to one borrower; a worker owns its own). Every
/// call blocks that thread, so call it from our own threads, never from Swift's cooperative pool.
///
/// ```swift
/// let conn = try Connection("postgresql:///mlc?host=/var/run/mlc")
/// let n: Int = try conn.query("SELECT $1::int + 1", 41)[0].decode(0)
/// ```
///
/// Every session runs with `TimeZone=UTC`, `DateStyle=ISO`, `bytea_output=hex` and UTF-8.
public final class Connection: @unchecked Sendable {
    let handle: OpaquePointer
    let logger: Logger
    /// Kept only to scrub the password out of libpq messages after a `reset()`.
    private let conninfo: String
    private let notices: NoticeSink
    /// Prepared statement name → SQL, for this session (cleared when the session is replaced).
    var preparedStatements: [String: String] = [:]
    /// "types|sql" → statement name, for `queryCached`.
    var statementCache: [String: String] = [:]

    /// Connects with a URL (`postgres://…`, `postgresql://…?host=/socket/dir`) or a
    /// `key=value` string. Throws `auth_failed` or `connection_failed`, never showing the password.
    public init(_ conninfo: String, logger: Logger = Logger(label: "mlc.postgres")) throws {
        guard let handle = PQconnectdb(conninfo) else {
            throw PostgresError(.connectionFailed, "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let error = Connection.connectError(handle, conninfo: conninfo)
            PQfinish(handle)
            throw error
        }
        self.handle = handle
        self.logger = logger
        self.conninfo = conninfo
        notices = NoticeSink(logger: logger)
        PQsetNoticeProcessor(handle, { context, message in
            guard let context, let message else { return }
            let sink = Unmanaged<NoticeSink>.fromOpaque(context).takeUnretainedValue()
            sink.logger.debug("postgres notice", metadata: ["notice": "\(String(cString: message))"])
        }, Unmanaged.passUnretained(notices).toOpaque())
        try configureSession()
    }

    deinit { PQfinish(handle) }

    /// True while libpq considers the connection usable (it learns of a dead server only when it
    /// next reads from the socket; `ConnectionPool` probes the socket for that).
    public var isHealthy: Bool { PQstatus(handle) == CONNECTION_OK }

    /// True inside BEGIN … COMMIT (also when the transaction is aborted).
    public var inTransaction: Bool { PQtransactionStatus(handle) != PQTRANS_IDLE }

    /// The server process id serving this connection (for `pg_terminate_backend`, logs).
    public var backendPID: Int32 { PQbackendPID(handle) }

    /// Reconnects with the same settings, dropping the old session and its prepared statements.
    public func reset() throws {
        PQreset(handle)
        preparedStatements = [:]
        statementCache = [:]
        guard PQstatus(handle) == CONNECTION_OK else {
            throw Connection.connectError(handle, conninfo: conninfo)
        }
        try configureSession()
    }

    /// Runs one statement with `$1…$n` parameters (nil = NULL) and returns its rows.
    public func query(_ sql: String, _ params: [PostgresValue?]) throws -> QueryResult {
        let result = try Connection.withParameters(params) { count, types, values, lengths, formats in
            PQexecParams(handle, sql, count, types, values, lengths, formats, 0)
        }
        return try check(result)
    }

    /// `try conn.query("SELECT * FROM t WHERE id = $1 AND name = $2", id, name)`
    public func query(_ sql: String, _ params: (any PostgresEncodable)?...) throws -> QueryResult {
        try query(sql, params.map { $0?.postgresValue })
    }

    /// Runs one statement and returns the number of rows it affected.
    @discardableResult
    public func execute(_ sql: String, _ params: [PostgresValue?]) throws -> Int {
        try query(sql, params).rowsAffected
    }

    @discardableResult
    public func execute(_ sql: String, _ params: (any PostgresEncodable)?...) throws -> Int {
        try query(sql, params.map { $0?.postgresValue }).rowsAffected
    }

    /// Runs a script of several `;`-separated statements without parameters (simple query
    /// protocol), as migrations need. Never build the script from values: use `query` for those.
    public func executeScript(_ sql: String) throws {
        _ = try check(PQexec(handle, sql))
    }

    /// Quotes an identifier (channel, database, table name) for the places SQL cannot take a
    /// parameter.
    public func quoteIdentifier(_ name: String) throws -> String {
        guard let quoted = PQescapeIdentifier(handle, name, name.utf8.count) else {
            throw PostgresError(.invalidParameter, "identifier cannot be quoted: \(lastErrorMessage)")
        }
        defer { PQfreemem(quoted) }
        return String(cString: quoted)
    }

    var lastErrorMessage: String {
        ConnInfo.scrub(String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines),
                       conninfo: conninfo)
    }

    private func configureSession() throws {
        try executeScript("SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO, MDY'; "
            + "SET bytea_output TO 'hex'; SET client_encoding TO 'UTF8'")
    }

    /// Turns a PGresult into rows or a typed error (and frees it on error).
    func check(_ result: OpaquePointer?) throws -> QueryResult {
        guard let result else {
            throw PostgresError(isHealthy ? .queryFailed : .connectionLost, lastErrorMessage)
        }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return QueryResult(result)
        default:
            let error = Connection.resultError(result, connectionBroken: !isHealthy, fallback: lastErrorMessage)
            PQclear(result)
            throw error
        }
    }

    static func resultError(_ result: OpaquePointer, connectionBroken: Bool, fallback: String) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        let status = PQresultStatus(result)
        if status != PGRES_FATAL_ERROR && status != PGRES_NONFATAL_ERROR {
            return PostgresError(.queryFailed, "unsupported result status \(String(cString: PQresStatus(status)))")
        }
        let code: PostgresError.Code = connectionBroken ? .connectionLost : .queryFailed
        return PostgresError(code, field("M") ?? fallback, sqlState: field("C"), detail: field("D"),
                             hint: field("H"), constraint: field("n"), table: field("t"), column: field("c"))
    }

    static func connectError(_ handle: OpaquePointer, conninfo: String) -> PostgresError {
        let raw = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
        let message = ConnInfo.scrub(raw, conninfo: conninfo)
        let lower = message.lowercased()
        let authHints = ["authentication failed", "no password supplied", "password", "pg_hba.conf",
                         "role \"", "permission denied for database"]
        let isAuth = authHints.contains { lower.contains($0) } && !lower.contains("no such file")
        return PostgresError(isAuth ? .authFailed : .connectionFailed,
                             "cannot connect to \(ConnInfo.redacted(conninfo)): \(message)")
    }

    /// The one place parameters become C arrays for libpq. Text values must not contain NUL
    /// (libpq would silently cut them there), binary values may.
    static func withParameters<R>(
        _ params: [PostgresValue?],
        _ body: (Int32, UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?,
                 UnsafePointer<Int32>?) throws -> R
    ) throws -> R {
        var buffer: [UInt8] = []
        var offsets: [Int?] = []
        var types: [Oid] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        for (position, param) in params.enumerated() {
            guard let param else {
                offsets.append(nil); types.append(0); lengths.append(0); formats.append(0)
                continue
            }
            if param.format == .text && param.bytes.contains(0) {
                throw PostgresError(.invalidParameter, "parameter $\(position + 1) is text containing a NUL byte")
            }
            offsets.append(buffer.count)
            types.append(param.typeOID)
            lengths.append(Int32(param.bytes.count))
            formats.append(param.format.rawValue)
            buffer.append(contentsOf: param.bytes)
            buffer.append(0)
        }
        buffer.append(0)
        return try buffer.withUnsafeBufferPointer { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self)
            let values: [UnsafePointer<CChar>?] = offsets.map { $0.map { base + $0 } }
            return try values.withUnsafeBufferPointer { values in
                try types.withUnsafeBufferPointer { types in
                    try lengths.withUnsafeBufferPointer { lengths in
                        try formats.withUnsafeBufferPointer { formats in
                            try body(Int32(params.count), types.baseAddress, values.baseAddress,
                                     lengths.baseAddress, formats.baseAddress)
                        }
                    }
                }
            }
        }
    }
}

/// Routes server notices (e.g. "relation already exists, skipping") to the logger instead of stderr.
final class NoticeSink: @unchecked Sendable {
    let logger: Logger
    init(logger: Logger) { self.logger = logger }
}
