import Connector
import Foundation
import HTTPServer
import Postgres
import Queue

/// Running queue and record operations on a pooled connection, and the query parameters the
/// list routes share (`limit`, `cursor`, numeric ids).
extension ControlPlane {
    /// `body` on a pooled connection; queue errors become their HTTP answers, anything else from
    /// the database a 503 (the message never carries SQL or values).
    func withDatabase<T>(_ body: (Connection) throws -> T) throws(HTTPError) -> T {
        do {
            return try pool.withConnection(body)
        } catch let error as HTTPError {
            throw error
        } catch let error as QueueError {
            throw APIErrors.queue(error)
        } catch let error as PostgresError where error.code == .invalidParameter || (error.sqlState ?? "").hasPrefix("22") {
            // A value from the request the database refuses as data (SQLSTATE class 22, or one
            // libpq cannot send): the client's input, not an outage. The value is not echoed.
            throw HTTPError.badRequest("invalid_input", "A value in the request is not acceptable to the database (for example an out-of-range number or a character it cannot store).")
        } catch {
            logger.error("database operation failed", metadata: ["error": "\(error)"])
            throw HTTPError(status: .serviceUnavailable, code: "database_unavailable",
                            message: "The database did not complete the request; try again shortly.", headers: ["Retry-After": "1"])
        }
    }

    /// `?limit=` from 1 to 500 (default 50).
    static func limit(_ query: [String: String]) throws(HTTPError) -> Int {
        guard let text = query["limit"] else { return 50 }
        guard let n = Int(text), (1...500).contains(n) else {
            throw HTTPError.badRequest("invalid_query", "limit must be an integer from 1 to 500.", details: ["field": "limit"])
        }
        return n
    }

    /// `?cursor=`: the previous page's `next_cursor` (an id; pages go from newest to oldest).
    static func cursor(_ query: [String: String]) throws(HTTPError) -> Int64? {
        guard let text = query["cursor"], !text.isEmpty else { return nil }
        guard let n = Int64(text), n > 0 else {
            throw HTTPError.badRequest("invalid_query", "cursor must be the next_cursor of a previous page.", details: ["field": "cursor"])
        }
        return n
    }

    /// An enumerated query parameter; 400 naming the choices when the value is not one of them.
    static func choice<T: RawRepresentable>(_ query: [String: String], _ name: String, _ type: T.Type,
                                            choices: [T]) throws(HTTPError) -> T? where T.RawValue == String {
        guard let text = query[name], !text.isEmpty else { return nil }
        guard let value = T(rawValue: text), choices.contains(where: { $0.rawValue == value.rawValue }) else {
            throw HTTPError.badRequest("invalid_query", "\(name) must be one of: \(choices.map(\.rawValue).joined(separator: ", ")).",
                                       details: ["field": .string(name)])
        }
        return value
    }

    /// The `{id}` of the route as a positive integer; else 404 with `code` (an id that cannot exist).
    static func numericID(_ request: Request, notFound code: String, _ what: String) throws(HTTPError) -> Int64 {
        guard let text = request.parameters["id"], let id = Int64(text), id > 0 else {
            throw HTTPError(status: .notFound, code: code, message: "No \(what) with this id.")
        }
        return id
    }

    /// A JSON text stored by the queue (payload, progress) as a document; not JSON → a string.
    static func embedded(_ text: String?) -> DocumentValue {
        guard let text else { return .null }
        return (try? DocumentValue.parse(Array(text.utf8))) ?? .string(text)
    }
}

extension APIErrors {
    static func queue(_ e: QueueError) -> HTTPError {
        switch e.code {
        case .notFound: HTTPError(status: .notFound, code: e.code.rawValue, message: "No job with this id.")
        case .invalidState, .dedupConflict: HTTPError(status: .conflict, code: e.code.rawValue, message: sentence(e.message))
        case .invalidArgument: .badRequest(e.code.rawValue, sentence(e.message))
        case .leaseLost, .malformedRow: HTTPError(status: .internalServerError, code: e.code.rawValue, message: sentence(e.message))
        }
    }

    private static func sentence(_ s: String) -> String {
        (s.prefix(1).uppercased() + s.dropFirst()) + (s.hasSuffix(".") ? "" : ".")
    }
}
