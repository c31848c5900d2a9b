import Glibc
import Logging

extension HTTPServer {
    /// A TLS connection: the handshake on this connection thread (bounded by the header read
    /// timeout, like a first request), then the same request loop as plain HTTP, then
    /// close_notify. The caller closes the socket.
    func serveTLSConnection(_ fd: Int32, context: TLSContext) {
        switch TLSStream.accept(fd: fd, context: context, timeout: configuration.headerReadTimeout) {
        case .success(let stream):
            var connection = Connection(fd: fd, io: .tls(stream), server: self)
            connection.run()
            stream.close()
        case .failure(let failure):
            // Scanners and plain-HTTP clients land here all day: debug, not warning.
            logger.debug("tls handshake failed", metadata: ["reason": "\(failure.reason)"])
        }
    }
}
