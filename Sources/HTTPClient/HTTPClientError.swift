/// Why a request got no HTTP response. A response with any status (401, 404, 503) is not an
/// error: it comes back as an `HTTPResponse`.
///
/// Each case has a stable snake_case `code` for programs and a plain-words `message` for people.
/// Neither ever contains a password or token: credentials never enter the URL or a message, URL
/// userinfo is scrubbed, and the request's secrets are masked out of any text from libcurl.
public enum HTTPClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The host name (or the proxy's) did not resolve.
    case dnsFailed(host: String, isProxy: Bool = false)
    /// Nothing accepted the TCP connection (`reason` is the system's word, e.g. "Connection refused").
    case connectionRefused(hostPort: String, reason: String)
    /// The TLS handshake failed; `reason` is libcurl's, e.g. "SSL certificate problem: self-signed certificate".
    case tlsFailed(host: String, reason: String)
    /// No connection (`whileConnecting`) or no complete response within the time allowed.
    case timeout(hostPort: String, milliseconds: Int, whileConnecting: Bool)
    /// The response body passed `HTTPRequest.maxResponseBytes`; the transfer was aborted.
    case responseTooLarge(limit: Int)
    /// The URL could not be used (malformed, or a scheme other than http/https).
    case invalidURL(url: String, reason: String)
    /// The request itself is unusable (e.g. a header containing a line break).
    case invalidRequest(reason: String)
    /// Any other transport failure, with libcurl's error code and reason.
    case other(curlCode: Int, reason: String)

    public var code: String {
        switch self {
        case .dnsFailed: "dns_failed"
        case .connectionRefused: "connection_refused"
        case .tlsFailed: "tls_failed"
        case .timeout: "timeout"
        case .responseTooLarge: "response_too_large"
        case .invalidURL: "invalid_url"
        case .invalidRequest: "invalid_request"
        case .other: "other"
        }
    }

    public var message: String {
        switch self {
        case .dnsFailed(let host, let isProxy):
            "could not resolve \(isProxy ? "proxy host" : "host") \(host)"
        case .connectionRefused(let hostPort, let reason):
            "could not connect to \(hostPort): \(reason)"
        case .tlsFailed(let host, let reason):
            "TLS handshake with \(host) failed: \(reason)"
        case .timeout(let hostPort, let ms, let whileConnecting):
            whileConnecting
                ? "could not connect to \(hostPort) within \(ms) ms"
                : "\(hostPort) did not send a complete response within \(ms) ms"
        case .responseTooLarge(let limit):
            "the response body is larger than the limit of \(limit) bytes"
        case .invalidURL(let url, let reason):
            "invalid URL \(url): \(reason)"
        case .invalidRequest(let reason):
            "invalid request: \(reason)"
        case .other(let curlCode, let reason):
            "transfer failed (libcurl error \(curlCode)): \(reason)"
        }
    }

    public var description: String { "\(code): \(message)" }

    /// True when the request certainly never reached the server (so even a non-idempotent POST
    /// can be sent again without risk of doing it twice).
    public var requestWasNotSent: Bool {
        switch self {
        case .dnsFailed, .connectionRefused, .tlsFailed, .invalidURL, .invalidRequest: true
        case .timeout(_, _, let whileConnecting): whileConnecting
        case .responseTooLarge, .other: false
        }
    }

    /// The same error with every string scrubbed of URL userinfo and the given secrets.
    func scrubbed(secrets: [String]) -> HTTPClientError {
        let s = { (text: String) in Redaction.scrub(text, secrets: secrets) }
        return switch self {
        case .dnsFailed(let host, let isProxy): .dnsFailed(host: s(host), isProxy: isProxy)
        case .connectionRefused(let hostPort, let reason): .connectionRefused(hostPort: s(hostPort), reason: s(reason))
        case .tlsFailed(let host, let reason): .tlsFailed(host: s(host), reason: s(reason))
        case .timeout(let hostPort, let ms, let connecting): .timeout(hostPort: s(hostPort), milliseconds: ms, whileConnecting: connecting)
        case .responseTooLarge: self
        case .invalidURL(let url, let reason): .invalidURL(url: s(url), reason: s(reason))
        case .invalidRequest(let reason): .invalidRequest(reason: s(reason))
        case .other(let curlCode, let reason): .other(curlCode: curlCode, reason: s(reason))
        }
    }
}
