/// Every limit and knob of the server. The defaults suit the control-plane API.
public struct ServerConfiguration: Sendable {
    /// Address to bind: `127.0.0.1`, `0.0.0.0`, `::1`, `::` or another literal IP address.
    public var host: String
    /// Port to bind; 0 picks a free one (read it back from `HTTPServer.port`).
    public var port: Int
    /// Request line plus headers, in bytes; beyond it the client gets 431.
    public var maxHeadBytes: Int
    public var maxHeaderCount: Int
    /// Default request body limit in bytes (413 beyond it); routes may override it.
    public var maxBodyBytes: Int
    /// Time a client gets to send a complete request head once it started one (slowloris
    /// defence); then 408 and close.
    public var headerReadTimeout: Duration
    /// Time a client gets to send a body once the head is in; then 408 and close.
    public var bodyReadTimeout: Duration
    /// How long an idle keep-alive connection stays open between requests.
    public var idleTimeout: Duration
    /// How long a write may stall on a client that does not read before the connection is dropped.
    public var writeTimeout: Duration
    /// Open connections served at once, and so the bound on connection threads. Connections
    /// beyond it get `503` with `Retry-After: 1` and are closed.
    public var maxConnections: Int
    /// `listen(2)` backlog.
    public var backlog: Int
    /// Serve HTTPS with this certificate and key; nil (the default) serves plain HTTP. The TLS
    /// handshake must finish within `headerReadTimeout`.
    public var tls: TLSConfiguration?

    public init(host: String = "127.0.0.1", port: Int = 8080,
                maxHeadBytes: Int = 16 * 1024, maxHeaderCount: Int = 100,
                maxBodyBytes: Int = 1 << 20,
                headerReadTimeout: Duration = .seconds(10), bodyReadTimeout: Duration = .seconds(30),
                idleTimeout: Duration = .seconds(60), writeTimeout: Duration = .seconds(30),
                maxConnections: Int = 512, backlog: Int = 512, tls: TLSConfiguration? = nil) {
        self.host = host
        self.port = port
        self.maxHeadBytes = maxHeadBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.headerReadTimeout = headerReadTimeout
        self.bodyReadTimeout = bodyReadTimeout
        self.idleTimeout = idleTimeout
        self.writeTimeout = writeTimeout
        self.maxConnections = maxConnections
        self.backlog = backlog
        self.tls = tls
    }
}

extension Duration {
    var milliseconds: Int {
        let (s, atto) = components
        return Int(s) * 1000 + Int(atto / 1_000_000_000_000_000)
    }
}
