/// One HTTP request as a plain value: what to send, to whom, how to authenticate, and the limits
/// (timeouts, response size, redirects) the transfer must respect.
///
/// ```swift
/// var request = HTTPRequest(method: .post, url: "https://gp.contoso.local/GPService/...",
///                           headers: ["Content-Type": "application/json"], body: Array(json.utf8))
/// request.auth = .ntlm(user: #"CONTOSO\svc-gp"#, password: password)
/// request.tls = .trusting(caPEM: tenantCA)
/// let response = try HTTPClient.forCurrentThread().perform(request)
/// ```
///
/// Credentials belong in `auth`, never in the URL. Printing a request (`description`) shows no
/// secret and no body.
public struct HTTPRequest: Sendable, Hashable, CustomStringConvertible {
    public var method: HTTPMethod
    /// Absolute `http://` or `https://` URL, already percent-encoded.
    public var url: String
    public var headers: HTTPHeaders
    public var body: [UInt8]
    public var auth: HTTPAuth
    public var tls: HTTPTLS
    public var proxy: HTTPProxy
    /// Time allowed to resolve the host and connect (TCP, not TLS).
    public var connectTimeout: Duration
    /// Time allowed for the whole transfer, connection and authentication legs included.
    public var timeout: Duration
    /// The largest response body accepted (after content decoding). A larger one aborts the
    /// transfer with `HTTPClientError.responseTooLarge` instead of filling memory.
    public var maxResponseBytes: Int
    /// Redirects are not followed unless this is above zero. Credentials are never sent to a
    /// different host on a redirect.
    public var maxRedirects: Int

    public static let defaultConnectTimeout: Duration = .seconds(10)
    public static let defaultTimeout: Duration = .seconds(60)
    public static let defaultMaxResponseBytes = 64 * 1024 * 1024

    public init(
        method: HTTPMethod = .get,
        url: String,
        headers: HTTPHeaders = [:],
        body: [UInt8] = [],
        auth: HTTPAuth = .none,
        tls: HTTPTLS = .standard,
        proxy: HTTPProxy = .environment,
        connectTimeout: Duration = HTTPRequest.defaultConnectTimeout,
        timeout: Duration = HTTPRequest.defaultTimeout,
        maxResponseBytes: Int = HTTPRequest.defaultMaxResponseBytes,
        maxRedirects: Int = 0
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.auth = auth
        self.tls = tls
        self.proxy = proxy
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
        self.maxRedirects = maxRedirects
    }

    public var description: String {
        "\(method) \(Redaction.scrubUserinfo(url)) auth=\(auth) body=\(body.count) bytes"
    }

    /// The secrets this request carries (auth, proxy credentials), removed from any error text.
    var secrets: [String] {
        var secrets: [String] = []
        if let secret = auth.secret { secrets.append(secret) }
        if let password = URLAuthority(url: url)?.password { secrets.append(password) }
        if case .url(let proxyURL, _) = proxy, let password = URLAuthority(url: proxyURL)?.password {
            secrets.append(password)
        }
        return secrets
    }
}

extension Duration {
    /// Whole milliseconds, at least 1 so that a tiny timeout never means "no timeout" to libcurl.
    var clampedMilliseconds: Int {
        let (seconds, attoseconds) = components
        let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int(max(1, min(ms, Int64(Int32.max))))
    }
}
