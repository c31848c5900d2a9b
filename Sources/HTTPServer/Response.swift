import Foundation

/// A response from a handler. The server adds `Date`, `Content-Length` and `Connection`.
public struct Response: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A plain-text response (`text/plain; charset=utf-8`).
    public static func text(status: HTTPStatus = .ok, _ text: String) -> Response {
        Response(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(text.utf8))
    }

    /// A JSON response. Encoding a plain `Encodable` value does not fail in practice; if it does,
    /// the client gets a generic 500 rather than a half-written body.
    public static func json<T: Encodable>(status: HTTPStatus = .ok, _ value: T) -> Response {
        do {
            let data = try JSONCoding.encoder.encode(value)
            return Response(status: status, headers: ["Content-Type": "application/json"], body: Array(data))
        } catch {
            return Response(status: .internalServerError, headers: ["Content-Type": "application/json"],
                            body: Array(#"{"error":{"code":"internal_error","message":"The response could not be encoded.","details":{}}}"#.utf8))
        }
    }
}

enum JSONCoding {
    // JSONEncoder/JSONDecoder are Sendable and safe to share once configured; building one per request costs
    // more than encoding a small value.
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()
    static let decoder = JSONDecoder()
}
