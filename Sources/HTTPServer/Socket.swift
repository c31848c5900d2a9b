import Glibc

/// Thin wrappers over the POSIX socket calls the server uses; every failure is an `HTTPServerError`.
enum Socket {

    /// Binds and listens on `host:port`, returning the descriptor and the port actually bound.
    static func listen(host: String, port: Int, backlog: Int) throws -> (fd: Int32, port: Int) {
        var storage = sockaddr_storage()
        var length: socklen_t
        let family: Int32
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            family = AF_INET
            withUnsafeMutableBytes(of: &storage) { raw in
                let sin = raw.baseAddress!.assumingMemoryBound(to: sockaddr_in.self)
                sin.pointee.sin_family = sa_family_t(AF_INET)
                sin.pointee.sin_port = in_port_t(UInt16(port).bigEndian)
                sin.pointee.sin_addr = v4
            }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        } else if inet_pton(AF_INET6, host, &v6) == 1 {
            family = AF_INET6
            withUnsafeMutableBytes(of: &storage) { raw in
                let sin6 = raw.baseAddress!.assumingMemoryBound(to: sockaddr_in6.self)
                sin6.pointee.sin6_family = sa_family_t(AF_INET6)
                sin6.pointee.sin6_port = in_port_t(UInt16(port).bigEndian)
                sin6.pointee.sin6_addr = v6
            }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        } else {
            throw HTTPServerError(code: "invalid_host", message: "`\(host)` is not an IPv4 or IPv6 address literal.")
        }
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HTTPServerError(code: "socket_failed", call: "socket", errno: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if family == AF_INET6 {
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else {
            let e = errno
            close(fd)
            throw HTTPServerError(code: "bind_failed", call: "bind to \(host):\(port)", errno: e)
        }
        guard Glibc.listen(fd, Int32(backlog)) == 0 else {
            let e = errno
            close(fd)
            throw HTTPServerError(code: "listen_failed", call: "listen", errno: e)
        }
        length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let boundPort: UInt16 = withUnsafeBytes(of: &storage) { raw in
            family == AF_INET
                ? raw.load(as: sockaddr_in.self).sin_port
                : raw.load(as: sockaddr_in6.self).sin6_port
        }
        return (fd, Int(UInt16(bigEndian: boundPort)))
    }

    /// Options every accepted connection gets: no Nagle delay (responses are written whole, so
    /// coalescing only adds latency) and a send timeout so a client that stops reading cannot
    /// hold a thread forever.
    static func configureAccepted(_ fd: Int32, writeTimeout: Duration) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let ms = writeTimeout.milliseconds
        var tv = timeval(tv_sec: ms / 1000, tv_usec: (ms % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Writes all of `first` then `second` with as few `sendmsg` calls as the kernel allows
    /// (one, normally). `MSG_NOSIGNAL`: a peer that went away is an error here, never a SIGPIPE.
    static func sendAll(_ fd: Int32, _ first: [UInt8], _ second: [UInt8] = []) -> Bool {
        var offset = 0
        let total = first.count + second.count
        while offset < total {
            let sent: Int = first.withUnsafeBytes { a in
                second.withUnsafeBytes { b in
                    var iov = (iovec(), iovec())
                    var count: Int = 0
                    if offset < a.count {
                        iov.0 = iovec(iov_base: UnsafeMutableRawPointer(mutating: a.baseAddress! + offset), iov_len: a.count - offset)
                        count = 1
                        if b.count > 0 {
                            iov.1 = iovec(iov_base: UnsafeMutableRawPointer(mutating: b.baseAddress!), iov_len: b.count)
                            count = 2
                        }
                    } else {
                        let o = offset - a.count
                        iov.0 = iovec(iov_base: UnsafeMutableRawPointer(mutating: b.baseAddress! + o), iov_len: b.count - o)
                        count = 1
                    }
                    return withUnsafeMutablePointer(to: &iov) { p in
                        p.withMemoryRebound(to: iovec.self, capacity: 2) { iovs in
                            var msg = msghdr()
                            msg.msg_iov = iovs
                            msg.msg_iovlen = count
                            return sendmsg(fd, &msg, Int32(MSG_NOSIGNAL))
                        }
                    }
                }
            }
            if sent < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += sent
        }
        return true
    }

    /// Bounds the next blocking `recv`; the connection re-arms it as its deadline moves.
    static func setReceiveTimeout(_ fd: Int32, milliseconds ms: Int) {
        let ms = max(1, ms) // 0 would mean "wait forever"
        var tv = timeval(tv_sec: ms / 1000, tv_usec: (ms % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    static func monotonicMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

/// Why the server could not start listening.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    /// Stable: `invalid_host`, `socket_failed`, `bind_failed`, `listen_failed`; with TLS
    /// `tls_certificate_unreadable`, `tls_certificate_invalid`, `tls_key_unreadable`,
    /// `tls_key_invalid`, `tls_key_mismatch`, `tls_context_failed`.
    public let code: String
    public let message: String

    init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    init(code: String, call: String, errno: Int32) {
        self.init(code: code, message: "\(call) failed: \(String(cString: strerror(errno))).")
    }

    public var description: String { message }
}
