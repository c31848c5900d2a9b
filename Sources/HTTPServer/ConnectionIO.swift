import Glibc

/// How a connection moves bytes: straight `recv`/`sendmsg` on its socket, or through its TLS
/// session. The plain case is the webhook path's hot loop; it adds nothing but this switch.
enum ConnectionIO {
    case plain(Int32)
    case tls(TLSStream)

    /// `recv`'s contract: bytes read, 0 at end of stream, -1 with `errno` set (EAGAIN: timeout).
    @inline(__always)
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        switch self {
        case .plain(let fd): return recv(fd, buffer.baseAddress, buffer.count, 0)
        case .tls(let stream): return stream.read(into: buffer)
        }
    }

    /// Writes all of `first` then `second`; false when the connection can no longer be written.
    @inline(__always)
    func write(_ first: [UInt8], _ second: [UInt8] = []) -> Bool {
        switch self {
        case .plain(let fd): return Socket.sendAll(fd, first, second)
        case .tls(let stream): return stream.write(first, second)
        }
    }

    /// The last thing written before the socket's write side is shut: TLS's close_notify.
    func finishWriting() {
        if case .tls(let stream) = self { stream.close() }
    }
}
