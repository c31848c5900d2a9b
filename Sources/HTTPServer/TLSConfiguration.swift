/// Native HTTPS for the listener: a certificate chain and its private key, both PEM files.
/// Clients must speak TLS 1.2 or newer; ciphers are OpenSSL's secure defaults. The files are read
/// once, at `HTTPServer.start()`, which fails with an `HTTPServerError` (`tls_*` codes) naming the
/// file and the problem when they are missing, unreadable, not PEM, or do not belong together.
public struct TLSConfiguration: Sendable, Equatable {
    /// The server certificate first, then any intermediates (PEM).
    public var certificateChainPath: String
    /// The certificate's private key (PEM, unencrypted: the server cannot ask for a passphrase).
    public var privateKeyPath: String

    public init(certificateChainPath: String, privateKeyPath: String) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
    }
}
