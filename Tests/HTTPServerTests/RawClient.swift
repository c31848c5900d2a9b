import Glibc
import HTTPServer

/// A deliberately dumb TCP client: sends exact bytes and reads exact responses, so tests control
/// every byte on the wire.
final class RawClient {
    let fd: Int32
    var buffer: [UInt8] = []

    struct Failure: Error, CustomStringConvertible { let description: String }

    struct Reply {
        let status: Int
        let headers: [(String, String)]
        let body: [UInt8]
        var bodyText: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    /// `source`: an IPv4 loopback address to connect from (e.g. 127.0.0.2), to act as another client.
    init(port: Int, host: String = "127.0.0.1", source: String? = nil, timeoutMs: Int = 5000) throws {
        let v6 = host.contains(":")
        fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, source, &local.sin_addr)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            // No close here: a throwing init of a fully initialised class still runs deinit,
            // which closes fd; a second close could hit a descriptor another test just opened.
            guard bound == 0 else { throw Failure(description: "bind to \(source) failed: \(errno)") }
        }
        var tv = timeval(tv_sec: timeoutMs / 1000, tv_usec: (timeoutMs % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let rc: Int32
        if v6 {
            var addr = sockaddr_in6()
            addr.sin6_family = sa_family_t(AF_INET6)
            addr.sin6_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET6, host, &addr.sin6_addr)
            rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, host, &addr.sin_addr)
            rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard rc == 0 else { throw Failure(description: "connect failed: \(errno)") }  // deinit closes fd
    }

    deinit { close(fd) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send failed: \(errno)") }
            offset += n
        }
    }

    /// Reads more bytes; false at end of stream (or error / timeout).
    func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &chunk, chunk.count, 0)
        guard n > 0 else { return false }
        buffer += chunk[0..<n]
        return true
    }

    /// Reads one response. `bodyless` for answers to HEAD.
    func readResponse(bodyless: Bool = false) throws -> Reply {
        var headEnd: Int?
        while true {
            if let r = findHeadEnd() { headEnd = r; break }
            guard fill() else { throw Failure(description: "connection closed before a response head; got \(String(decoding: buffer, as: UTF8.self))") }
        }
        let headText = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        buffer.removeFirst(headEnd!)
        var lines = headText.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure(description: "bad status line") }
        let headers = lines.map { line -> (String, String) in
            let parts = line.split(separator: ":", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]).trimmingCharacters(in: " ") : "")
        }
        let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
        let bodyLength = (bodyless || status < 200 || status == 204) ? 0 : length
        while buffer.count < bodyLength {
            guard fill() else { throw Failure(description: "connection closed inside a body") }
        }
        let body = Array(buffer[0..<bodyLength])
        buffer.removeFirst(bodyLength)
        return Reply(status: status, headers: headers, body: body)
    }

    func findHeadEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
            return i + 4
        }
        return nil
    }

    /// True when the server has closed the connection (end of stream with no further bytes).
    func isClosedByServer() -> Bool {
        while fill() {}
        return true
    }

    /// Reads until the server closes; returns whatever arrived, or nil if it stays open past the timeout.
    func readUntilClosed() -> [UInt8]? {
        while true {
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = recv(fd, &chunk, chunk.count, 0)
            if n > 0 { buffer += chunk[0..<n]; continue }
            if n == 0 { return buffer }
            if errno == EAGAIN || errno == EWOULDBLOCK { return nil }
            return buffer // reset counts as closed
        }
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}

/// Starts a server on an ephemeral port with the given routes and configuration tweaks.
func withServer(_ configure: (inout ServerConfiguration) -> Void = { _ in },
                routes: (inout Router) -> Void = { _ in },
                observer: RequestObserver? = nil,
                _ body: (HTTPServer) throws -> Void) throws {
    var config = ServerConfiguration(host: "127.0.0.1", port: 0)
    configure(&config)
    var router = Router()
    router.add(.GET, "/hello") { _ in .text("hello") }
    router.add(.POST, "/echo") { request in Response(status: .ok, headers: ["Content-Type": "application/octet-stream"], body: request.body) }
    routes(&router)
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let server = HTTPServer(configuration: config, router: router, logger: logger, observer: observer)
    try server.start()
    defer { server.shutdown(timeout: .seconds(2)) }
    try body(server)
}

import Logging
