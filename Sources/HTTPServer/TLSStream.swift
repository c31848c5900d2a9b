import COpenSSL
import Glibc

/// One connection's TLS session (`SSL*` over the connection's own blocking socket), used only by
/// that connection's thread. Reads and writes keep the plain path's contract: the socket's
/// `SO_RCVTIMEO`/`SO_SNDTIMEO` bound them, and a timeout reads as `-1` with `errno == EAGAIN`.
///
/// OpenSSL's socket BIO writes with `write(2)`, which cannot pass `MSG_NOSIGNAL`; a peer that
/// resets while we write is still harmless because `HTTPServer.start()` ignores SIGPIPE for the
/// process before any connection is accepted.
final class TLSStream {
    private let ssl: OpaquePointer
    /// After a fatal TLS error (or a timeout mid-record) OpenSSL forbids more writes and
    /// close_notify on the session; reads then report end of stream.
    private var broken = false
    private var closed = false

    private init(ssl: OpaquePointer) {
        self.ssl = ssl
    }

    deinit { SSL_free(ssl) } // the socket BIO does not own the descriptor: the server closes it

    /// Why a handshake did not complete (for a debug log line; never key material).
    struct HandshakeFailure: Error {
        let reason: String
    }

    /// The server side of the handshake. The socket is non-blocking for its duration and every
    /// wait goes through `poll` against one deadline, so the whole handshake, not each read, is
    /// bounded by `timeout`: a client that stalls, trickles, sends plain HTTP or garbage is let go
    /// by then. `shutdown(SHUT_RD)` on the socket (graceful stop) ends the wait at once.
    static func accept(fd: Int32, context: TLSContext, timeout: Duration) -> Result<TLSStream, HandshakeFailure> {
        ERR_clear_error()
        guard let ssl = SSL_new(context.context) else {
            return .failure(HandshakeFailure(reason: "SSL_new failed: \(TLSContext.openSSLReason())"))
        }
        let stream = TLSStream(ssl: ssl)
        guard SSL_set_fd(ssl, fd) == 1 else {
            stream.broken = true
            return .failure(HandshakeFailure(reason: "SSL_set_fd failed: \(TLSContext.openSSLReason())"))
        }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(fd, F_SETFL, flags) }
        let deadline = Socket.monotonicMs() + Int64(timeout.milliseconds)
        while true {
            let rc = SSL_accept(ssl)
            if rc == 1 { return .success(stream) }
            let savedErrno = errno
            let events: Int32
            switch SSL_get_error(ssl, rc) {
            case SSL_ERROR_WANT_READ: events = POLLIN
            case SSL_ERROR_WANT_WRITE: events = POLLOUT
            case SSL_ERROR_SYSCALL:
                stream.broken = true
                ERR_clear_error()
                let reason = savedErrno == 0 ? "the client closed the connection" : String(cString: strerror(savedErrno))
                return .failure(HandshakeFailure(reason: reason))
            default:
                stream.broken = true
                return .failure(HandshakeFailure(reason: TLSContext.openSSLReason()))
            }
            while true {
                let remaining = deadline - Socket.monotonicMs()
                guard remaining > 0 else {
                    stream.broken = true
                    return .failure(HandshakeFailure(reason: "the handshake did not finish in time"))
                }
                var waiter = pollfd(fd: fd, events: Int16(events), revents: 0)
                let ready = poll(&waiter, 1, Int32(min(remaining, Int64(Int32.max))))
                if ready > 0 { break }
                if ready < 0 && errno != EINTR {
                    stream.broken = true
                    return .failure(HandshakeFailure(reason: "poll failed: \(String(cString: strerror(errno)))"))
                }
            }
        }
    }

    /// `recv`'s contract: bytes read, 0 at end of stream (close_notify, EOF, or a TLS error), or
    /// -1 with `errno == EAGAIN` when the socket's receive timeout expired.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard !broken else { return 0 }
        let n = SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
        if n > 0 { return Int(n) }
        let savedErrno = errno
        switch SSL_get_error(ssl, n) {
        case SSL_ERROR_ZERO_RETURN:
            return 0
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            // A blocking socket only wants more when SO_RCVTIMEO expired. The connection closes
            // next; writing (the 408) stays allowed, as TLS's two directions are independent.
            errno = EAGAIN
            return -1
        case SSL_ERROR_SYSCALL where savedErrno == EAGAIN || savedErrno == EWOULDBLOCK:
            broken = true
            ERR_clear_error()
            errno = EAGAIN
            return -1
        default:
            broken = true
            ERR_clear_error()
            return 0
        }
    }

    /// Writes `first` then `second` whole (one TLS record each, or more when large); false when
    /// the peer is gone, the send timeout expired or the session is broken.
    func write(_ first: [UInt8], _ second: [UInt8]) -> Bool {
        writeAll(first) && writeAll(second)
    }

    private func writeAll(_ bytes: [UInt8]) -> Bool {
        guard !broken else { return false }
        return bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                var written = 0
                guard SSL_write_ex(ssl, raw.baseAddress! + offset, raw.count - offset, &written) == 1 else {
                    broken = true
                    ERR_clear_error()
                    return false
                }
                offset += written
            }
            return true
        }
    }

    /// Sends close_notify once, best effort (bounded by the send timeout), without waiting for
    /// the client's. Skipped after an error, when OpenSSL forbids it.
    func close() {
        guard !broken, !closed else { return }
        closed = true
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }
}
