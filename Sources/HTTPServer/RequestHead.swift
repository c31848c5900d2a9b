/// The parsed request line and header fields of one request, before its body.
public struct RequestHead: Sendable {
    public var method: HTTPMethod
    /// The request target as sent (origin form), e.g. `/v1/jobs?state=running`.
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// Declared body length; nil for chunked or bodyless requests.
    public var contentLength: Int?
    public var isChunked: Bool
    /// The client sent `Expect: 100-continue`.
    public var expectsContinue: Bool
    /// Whether the client wants the connection kept open after this request: HTTP/1.1 unless
    /// `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool

    /// The path part of the target (before `?`), still percent-encoded.
    public var path: Substring {
        if let q = target.firstIndex(of: "?") { return target[..<q] }
        return target[...]
    }

    /// The raw query string after `?`, or nil.
    public var query: Substring? {
        guard let q = target.firstIndex(of: "?") else { return nil }
        return target[target.index(after: q)...]
    }

    var hasBody: Bool { isChunked || (contentLength ?? 0) > 0 }
}

/// Why the parser rejected the bytes it was given: the status to answer with (then the connection
/// is closed), a stable code and a human message. Never echoes the offending bytes.
public struct ParseError: Error, Sendable, Equatable {
    public let status: HTTPStatus
    public let code: String
    public let message: String

    init(_ status: HTTPStatus, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    static func bad(_ code: String, _ message: String) -> ParseError { ParseError(.badRequest, code, message) }

    var httpError: HTTPError { HTTPError(status: status, code: code, message: message) }
}
