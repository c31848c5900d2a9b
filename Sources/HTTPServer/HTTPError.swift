/// The one error type handlers throw to answer with a JSON error. Its body is always
/// `{"error":{"code":"snake_case_code","message":"human sentence","details":{...}}}`.
///
/// The message is shown to the client: it must never contain a secret or an internal detail.
/// Any other error a handler throws becomes a generic 500 (`internal_error`).
///
/// ```swift
/// throw HTTPError(status: .notFound, code: "tenant_not_found", message: "No tenant has this id.",
///                 details: ["tenant": .string(id)])
/// ```
public struct HTTPError: Error, Sendable, Hashable {
    public var status: HTTPStatus
    public var code: String
    public var message: String
    public var details: [String: JSONValue]
    /// Extra response headers, e.g. `Retry-After` on a 429 or 503.
    public var headers: [String: String]

    public init(status: HTTPStatus, code: String, message: String,
                details: [String: JSONValue] = [:], headers: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
    }

    public static func badRequest(_ code: String, _ message: String, details: [String: JSONValue] = [:]) -> HTTPError {
        HTTPError(status: .badRequest, code: code, message: message, details: details)
    }

    public static func notFound(_ code: String = "not_found", _ message: String = "The resource does not exist.") -> HTTPError {
        HTTPError(status: .notFound, code: code, message: message)
    }

    public static let internalError = HTTPError(status: .internalServerError, code: "internal_error",
                                                message: "The server could not complete the request.")

    /// The body and headers of this error as a response.
    public var response: Response {
        var response = Response.json(status: status, Envelope(error: .init(code: code, message: message, details: details)))
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { response.headers.set(name, value) }
        return response
    }

    struct Envelope: Encodable {
        struct Body: Encodable {
            let code: String
            let message: String
            let details: [String: JSONValue]
        }
        let error: Body
    }
}
