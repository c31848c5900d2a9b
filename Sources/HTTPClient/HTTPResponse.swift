/// A complete HTTP response: any status (a 401 or 503 is a response, not an error), the final
/// response's headers (those of intermediate 401 authentication legs are dropped), the body and
/// how long the phases took.
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    public var timing: HTTPTiming
    /// New TCP connections this request opened: 0 when it reused a kept-alive one.
    public var connectionsOpened: Int

    public init(status: Int, headers: HTTPHeaders, body: [UInt8], timing: HTTPTiming, connectionsOpened: Int) {
        self.status = status
        self.headers = headers
        self.body = body
        self.timing = timing
        self.connectionsOpened = connectionsOpened
    }

    /// The body decoded as UTF-8 (invalid sequences replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// Phase durations of one request in milliseconds, from libcurl's timers.
public struct HTTPTiming: Sendable, Hashable {
    /// Start to end of the transfer.
    public var totalMs: Double
    /// Start until the TCP connection was up (name resolution included); 0 on a reused connection.
    public var connectMs: Double
    /// Duration of the TLS handshake alone; 0 for plain HTTP or a reused connection.
    public var tlsMs: Double
    /// Start until the first response byte (time to first byte).
    public var firstByteMs: Double

    public init(totalMs: Double, connectMs: Double, tlsMs: Double, firstByteMs: Double) {
        self.totalMs = totalMs
        self.connectMs = connectMs
        self.tlsMs = tlsMs
        self.firstByteMs = firstByteMs
    }
}
