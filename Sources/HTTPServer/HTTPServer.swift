import Foundation
import Glibc
import Logging
import Synchronization

/// An HTTP/1.1 server on POSIX sockets: it owns the listening socket, the accept thread, the
/// bounded pool of connection threads, the limits of `ServerConfiguration`, the access log and
/// the graceful stop. Routing is the `Router`'s; parsing is the pure `RequestParser`'s.
///
/// ```swift
/// var router = Router()
/// router.add(.GET, "/healthz") { _ in .json(["status": "ok"]) }
/// let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), router: router)
/// try server.start()
/// print(server.port)
/// server.shutdown(timeout: .seconds(5))
/// ```
///
/// Design: one blocking thread per open connection, up to `maxConnections`, taken from a pool.
/// Handlers are synchronous and may block on the database; a thread per connection lets them do
/// so without stalling other connections, and the per-request path is only `recv` → parse →
/// handler → one `sendmsg`, with no hand-off between threads (measured in `bench/http`). An
/// epoll loop would hold many more idle keep-alive connections per thread, but Glibc's Swift
/// module map does not expose epoll, it would need a C shim target, and it would add a
/// cross-thread hand-off per request to reach a worker that may block. The control plane's
/// connection counts (dashboards, operators, Commerce webhooks) are far below the cap, and the cap
/// is what keeps memory and threads bounded: beyond it, clients get `503` + `Retry-After`.
///
/// HTTPS (optional, `ServerConfiguration.tls`): one OpenSSL context per server; each connection
/// thread runs its own handshake (bounded by `headerReadTimeout`) and then the same loop, reading
/// and writing through `ConnectionIO`, whose plain case is the unchanged `recv`/`sendmsg` path.
public final class HTTPServer: @unchecked Sendable {
    public let configuration: ServerConfiguration
    let router: Router
    let logger: Logger
    let observer: RequestObserver?

    struct State {
        var listenFD: Int32 = -1
        var port = 0
        var connections: Set<Int32> = []
        var stopping = false
        var accepted = 0
        var rejected = 0
    }
    let state = Mutex(State())
    /// Read on every request, so kept apart from `state`'s lock.
    let stopping = Atomic<Bool>(false)
    private var threads: ConnectionThreads!
    /// Set by `start()` when the configuration asks for TLS, before any connection is accepted.
    private(set) var tlsContext: TLSContext?
    private let acceptDone = DispatchSemaphore(value: 0)
    private let allClosed = NSCondition()

    public init(configuration: ServerConfiguration, router: Router,
                logger: Logger = Logger(label: "ml-connector.http"), observer: RequestObserver? = nil) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
        self.observer = observer
    }

    /// The bound port (the ephemeral one when the configuration asked for port 0).
    public var port: Int { state.withLock { $0.port } }
    /// Connections open now.
    public var openConnections: Int { state.withLock { $0.connections.count } }
    /// Connections turned away with 503 since start, because `maxConnections` were open.
    public var rejectedConnections: Int { state.withLock { $0.rejected } }
    /// Connections accepted and served since start.
    public var acceptedConnections: Int { state.withLock { $0.accepted } }

    /// Binds, listens and starts accepting. Throws if the address cannot be bound, or (with TLS)
    /// if the certificate or key cannot be loaded (`tls_*` codes), before binding.
    public func start() throws {
        // A peer that resets while we write must not kill the process (plain sends use
        // MSG_NOSIGNAL too; OpenSSL's socket writes cannot, so this is what guards TLS).
        signal(SIGPIPE, SIG_IGN)
        if let tls = configuration.tls {
            tlsContext = try TLSContext.load(tls)
        }
        let (fd, port) = try Socket.listen(host: configuration.host, port: configuration.port,
                                           backlog: configuration.backlog)
        state.withLock {
            $0.listenFD = fd
            $0.port = port
        }
        threads = ConnectionThreads(maxThreads: configuration.maxConnections) { [self] fd in
            serveConnection(fd)
        }
        let thread = Thread { [self] in acceptLoop(fd) }
        thread.name = "http-accept"
        thread.start()
        logger.info("http server listening", metadata: ["host": "\(configuration.host)", "port": "\(port)",
                                                        "scheme": "\(tlsContext == nil ? "http" : "https")"])
    }

    private func acceptLoop(_ listenFD: Int32) {
        defer { acceptDone.signal() }
        while true {
            let fd = accept(listenFD, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if errno == EMFILE || errno == ENFILE {
                    // Out of descriptors: back off instead of spinning on the same error.
                    usleep(10_000)
                    continue
                }
                return // the listening socket was shut down
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            enum Admission { case admit, reject, stopping }
            let admission: Admission = state.withLock {
                if $0.stopping { return .stopping }
                if $0.connections.count >= configuration.maxConnections {
                    $0.rejected += 1
                    return .reject
                }
                $0.connections.insert(fd)
                $0.accepted += 1
                return .admit
            }
            switch admission {
            case .admit:
                Socket.configureAccepted(fd, writeTimeout: configuration.writeTimeout)
                threads.submit(fd)
            case .reject:
                reject(fd)
            case .stopping:
                close(fd)
            }
        }
    }

    /// Answers an over-limit connection with 503 without giving it a thread. The request is not
    /// read; draining what already arrived keeps the close from turning into a reset that could
    /// destroy the 503 before the client reads it.
    private func reject(_ fd: Int32) {
        // A TLS client cannot read a plain-text 503, and a handshake would need the thread this
        // connection is refused: it only sees the close, and retries.
        if tlsContext == nil {
            let error = HTTPError(status: .serviceUnavailable, code: "server_busy",
                                  message: "The server has too many open connections; retry shortly.",
                                  headers: ["Retry-After": "1"])
            let bytes = ResponseEncoding.encode(error.response, keepAlive: false, version: .http1_1, includeBody: true)
            _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
            Glibc.shutdown(fd, Int32(SHUT_WR))
            var scratch = [UInt8](repeating: 0, count: 4096)
            _ = recv(fd, &scratch, scratch.count, Int32(MSG_DONTWAIT))
        }
        close(fd)
        logger.warning("connection rejected", metadata: ["reason": "max_connections",
                                                         "max_connections": "\(configuration.maxConnections)"])
    }

    func connectionClosed(_ fd: Int32) {
        let empty = state.withLock {
            $0.connections.remove(fd)
            close(fd) // under the lock, so shutdown() never touches a reused descriptor number
            return $0.connections.isEmpty
        }
        if empty {
            allClosed.lock()
            allClosed.broadcast()
            allClosed.unlock()
        }
    }

    /// Stops gracefully: stops accepting, lets in-flight requests finish and be answered (with
    /// `Connection: close`), closes idle keep-alive connections at once, and at the deadline cuts
    /// whatever is still open. Blocks until done; safe to call more than once.
    public func shutdown(deadline: ContinuousClock.Instant) {
        let (listenFD, first) = state.withLock { s -> (Int32, Bool) in
            let first = !s.stopping
            s.stopping = true
            return (s.listenFD, first)
        }
        guard first, listenFD >= 0 else { return }
        stopping.store(true, ordering: .releasing)
        Glibc.shutdown(listenFD, Int32(SHUT_RDWR)) // wakes the accept thread
        acceptDone.wait()
        close(listenFD)
        // SHUT_RD wakes every connection thread blocked in recv: idle ones see end-of-stream and
        // close; busy ones still write their response, then see it and close.
        state.withLock { for fd in $0.connections { Glibc.shutdown(fd, Int32(SHUT_RD)) } }
        if !waitForConnections(until: deadline) {
            state.withLock { for fd in $0.connections { Glibc.shutdown(fd, Int32(SHUT_RDWR)) } }
            _ = waitForConnections(until: .now + .milliseconds(100))
        }
        threads.stop()
        logger.info("http server stopped")
    }

    public func shutdown(timeout: Duration) {
        shutdown(deadline: .now + timeout)
    }

    private func waitForConnections(until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            if state.withLock({ $0.connections.isEmpty }) { return true }
            let remaining = deadline - .now
            if remaining <= .zero { return false }
            allClosed.lock()
            _ = allClosed.wait(until: Date(timeIntervalSinceNow: min(0.05, Double(remaining.milliseconds) / 1000)))
            allClosed.unlock()
        }
    }
}
