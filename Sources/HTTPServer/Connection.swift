import Glibc
import Logging

extension HTTPServer {
    func serveConnection(_ fd: Int32) {
        if let tlsContext {
            serveTLSConnection(fd, context: tlsContext)
        } else {
            var connection = Connection(fd: fd, io: .plain(fd), server: self)
            connection.run()
        }
        connectionClosed(fd)
    }
}

/// One client connection, driven by its own thread: read, parse, answer in order, repeat while
/// keep-alive holds. Responses to pipelined requests are gathered and sent in one write.
struct Connection {
    let fd: Int32
    /// Every read and write of the connection's bytes goes through it (plain socket or TLS).
    let io: ConnectionIO
    let server: HTTPServer
    var parser: RequestParser
    var output: [UInt8] = []
    /// The receive timeout last set on the socket, to skip the syscall when it is unchanged.
    var receiveTimeoutMs = -1
    var phase = Phase.idle
    var phaseStartMs: Int64
    var continueSent = false
    var date = DateHeader.Cache()
    /// Before its first request a connection gets only the header timeout, so opening sockets
    /// and sending nothing cannot hold threads for the longer idle timeout.
    var servedAny = false
    /// Read once per connection (getpeername), handed to every request on it.
    let remoteAddress: String

    enum Phase { case idle, head, body }

    init(fd: Int32, io: ConnectionIO, server: HTTPServer) {
        self.fd = fd
        self.io = io
        self.server = server
        remoteAddress = Socket.peerAddress(fd)
        let router = server.router
        let defaultLimit = server.configuration.maxBodyBytes
        parser = RequestParser(
            limits: .init(maxHeadBytes: server.configuration.maxHeadBytes,
                          maxHeaderCount: server.configuration.maxHeaderCount),
            bodyLimit: { head in router.bodyLimit(for: head.method, path: head.path, default: defaultLimit) })
        phaseStartMs = Socket.monotonicMs()
    }

    mutating func run() {
        let capacity = 16 * 1024
        let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { readBuffer.deallocate() }
        let config = server.configuration
        while true {
            // Answer every complete request already buffered, in order.
            var completed = false
            drain: while true {
                switch parser.next() {
                case .request(let head, let body):
                    completed = true
                    servedAny = true
                    continueSent = false
                    if !respond(head, body) {
                        flush()
                        return
                    }
                case .failure(let error):
                    fail(error.httpError, method: parser.headAwaitingBody?.method)
                    return
                case .needMore:
                    break drain
                }
            }
            guard flush() else { return }
            if let head = parser.headAwaitingBody, head.expectsContinue, !continueSent {
                guard acceptContinue(head) else { return }
            }
            if parser.isIdle && server.stopping.load(ordering: .relaxed) { return }

            let now = Socket.monotonicMs()
            let current: Phase = parser.isIdle ? .idle : (parser.isReadingHead ? .head : .body)
            if current != phase || completed {
                phase = current
                phaseStartMs = now
            }
            let limit = switch phase {
            case .idle: servedAny ? config.idleTimeout : config.headerReadTimeout
            case .head: config.headerReadTimeout
            case .body: config.bodyReadTimeout
            }
            let remaining = Int(phaseStartMs + Int64(limit.milliseconds) - now)
            if remaining <= 0 {
                timedOut()
                return
            }
            if remaining != receiveTimeoutMs {
                Socket.setReceiveTimeout(fd, milliseconds: remaining)
                receiveTimeoutMs = remaining
            }
            let n = io.read(into: readBuffer)
            if n > 0 {
                parser.append(UnsafeRawBufferPointer(rebasing: readBuffer[0..<n]))
            } else if n == 0 {
                return // the client closed (or shutdown() closed our read side)
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                timedOut()
                return
            } else if errno != EINTR {
                return
            }
        }
    }

    /// Idle connections close quietly; one that stalls mid-request gets 408.
    mutating func timedOut() {
        guard phase != .idle else { return }
        fail(HTTPError(status: .requestTimeout, code: "request_timeout",
                       message: "The request was not received in time."), method: parser.headAwaitingBody?.method)
    }

    /// `Expect: 100-continue`: say "go on" only when the route exists and takes this method (the
    /// body limit was already checked by the parser); otherwise answer now and close, so the
    /// client never uploads a body nobody wants.
    mutating func acceptContinue(_ head: RequestHead) -> Bool {
        switch server.router.match(head.method, path: head.path) {
        case .found:
            continueSent = true
            return io.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        case .notFound, .methodNotAllowed, .badPath:
            let start = ContinuousClock.now
            let (response, pattern) = routeFailure(head)
            output += ResponseEncoding.encode(response, keepAlive: false, version: head.version, includeBody: true,
                                               date: date.current())
            if flush() { lingeringClose() }
            record(method: head.method, path: head.path, pattern: pattern, status: response.status, since: start)
            return false
        }
    }

    /// Writes an error for a request that cannot be parsed or finished, then the connection closes.
    mutating func fail(_ error: HTTPError, method: HTTPMethod?) {
        let start = ContinuousClock.now
        output += ResponseEncoding.encode(error.response, keepAlive: false, version: .http1_1, includeBody: method != .HEAD,
                                      date: date.current())
        if flush() { lingeringClose() }
        record(method: method, path: nil, pattern: "unmatched", status: error.status, since: start)
    }

    /// After an error answer the client may still be sending (a body over the limit, say).
    /// Closing with unread bytes makes the kernel send a reset, which can destroy the error
    /// response before the client reads it; so stop writing, read and discard for a short,
    /// bounded while, then close.
    func lingeringClose() {
        io.finishWriting()
        Glibc.shutdown(fd, Int32(SHUT_WR))
        Socket.setReceiveTimeout(fd, milliseconds: 250)
        let deadline = Socket.monotonicMs() + 1000
        var discarded = 0
        var scratch = [UInt8](repeating: 0, count: 16 * 1024)
        while discarded < 4 << 20 && Socket.monotonicMs() < deadline {
            // Raw recv even over TLS: these bytes are thrown away, decrypted or not.
            let n = recv(fd, &scratch, scratch.count, 0)
            if n <= 0 { break }
            discarded += n
        }
    }

    @discardableResult
    mutating func flush() -> Bool {
        guard !output.isEmpty else { return true }
        let ok = io.write(output)
        output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
        return ok
    }

    /// Routes and answers one request; returns whether the connection stays open.
    mutating func respond(_ head: RequestHead, _ body: [UInt8]) -> Bool {
        let start = ContinuousClock.now
        let response: Response
        let pattern: String
        switch server.router.match(head.method, path: head.path) {
        case .found(let route, let handler, let parameters):
            pattern = route.pattern
            let request = Request(head: head, body: body, parameters: parameters, routePattern: route.pattern,
                                  remoteAddress: remoteAddress)
            do {
                response = try handler(request)
            } catch let error as HTTPError {
                response = error.response
            } catch {
                // The client learns nothing of the internals; the log keeps the error's type.
                server.logger.error("handler failed", metadata: [
                    "method": "\(head.method.rawValue)", "route": "\(route.pattern)",
                    "error_type": "\(String(reflecting: type(of: error)))",
                ])
                response = HTTPError.internalError.response
            }
        case .notFound, .methodNotAllowed, .badPath:
            (response, pattern) = routeFailure(head)
        }
        let keepAlive = head.keepAlive && !server.stopping.load(ordering: .relaxed)
        let includeBody = head.method != .HEAD && !response.status.forbidsBody
        let responseHead = ResponseEncoding.head(response, keepAlive: keepAlive, version: head.version, date: date.current())
        if includeBody && response.body.count > 8 * 1024 {
            // Large body: send head and body together straight from their buffers (writev-style).
            guard flush(), io.write(responseHead, response.body) else { return false }
        } else {
            output += responseHead
            if includeBody { output += response.body }
        }
        record(method: head.method, path: head.path, pattern: pattern, status: response.status, since: start)
        return keepAlive
    }

    func routeFailure(_ head: RequestHead) -> (Response, String) {
        switch server.router.match(head.method, path: head.path) {
        case .methodNotAllowed(let allowed):
            let list = allowed.map(\.rawValue).joined(separator: ", ")
            var error = HTTPError(status: .methodNotAllowed, code: "method_not_allowed",
                                  message: "This resource does not support \(head.method.rawValue).",
                                  details: ["allowed": .array(allowed.map { .string($0.rawValue) })])
            error.headers["Allow"] = list
            return (error.response, "unmatched")
        case .badPath:
            return (HTTPError.badRequest("invalid_path", "The path has a malformed percent-escape.").response, "unmatched")
        case .notFound, .found:
            return (HTTPError(status: .notFound, code: "not_found", message: "No resource exists at this path.").response,
                    "unmatched")
        }
    }

    /// The access-log line and the metrics hook. The query string is never logged: it may carry
    /// secrets.
    func record(method: HTTPMethod?, path: Substring?, pattern: String, status: HTTPStatus, since start: ContinuousClock.Instant) {
        let duration = ContinuousClock.now - start
        let logger = server.logger
        if logger.logLevel <= .info {
            let micros = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
            logger.info("request", metadata: [
                "method": "\(method?.rawValue ?? "-")",
                "path": "\(path.map(String.init) ?? "-")",
                "status": "\(status.code)",
                "duration_ms": "\(Double(micros) / 1000)",
            ])
        }
        server.observer?(RequestRecord(method: method, routePattern: pattern, status: status, duration: duration))
    }
}
