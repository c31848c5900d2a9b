import COpenSSL
import Glibc

/// The server's one OpenSSL `SSL_CTX`: the certificate chain and key of `TLSConfiguration`,
/// loaded and checked once at start. OpenSSL allows `SSL_new` from many threads on one context,
/// which is all connection threads do with it.
final class TLSContext: @unchecked Sendable {
    let context: OpaquePointer

    private init(context: OpaquePointer) {
        self.context = context
    }

    deinit { SSL_CTX_free(context) }

    /// Reads and checks both files. Errors name the file and the problem, never its contents.
    static func load(_ configuration: TLSConfiguration) throws(HTTPServerError) -> TLSContext {
        let certPath = configuration.certificateChainPath
        let keyPath = configuration.privateKeyPath
        ERR_clear_error()
        try checkReadable(certPath, code: "tls_certificate_unreadable", what: "TLS certificate file")
        try checkReadable(keyPath, code: "tls_key_unreadable", what: "TLS private key file")

        guard let ctx = SSL_CTX_new(TLS_server_method()) else {
            throw HTTPServerError(code: "tls_context_failed", message: "Cannot create the TLS context: \(openSSLReason()).")
        }
        let context = TLSContext(context: ctx) // frees ctx on every path below
        guard mlc_ssl_ctx_configure_server(ctx) == 1 else {
            throw HTTPServerError(code: "tls_context_failed", message: "Cannot configure the TLS context: \(openSSLReason()).")
        }
        // An encrypted key must fail, not prompt for a passphrase on the server's terminal.
        SSL_CTX_set_default_passwd_cb(ctx) { _, _, _, _ in 0 }

        guard SSL_CTX_use_certificate_chain_file(ctx, certPath) == 1 else {
            throw HTTPServerError(code: "tls_certificate_invalid",
                                  message: "The TLS certificate file \(certPath) holds no usable PEM certificate (\(openSSLReason())).")
        }
        // Parse the key on its own first, so a key that is not PEM (or is encrypted) is told
        // apart from a good key that belongs to another certificate.
        guard let key = readPrivateKey(keyPath) else {
            throw HTTPServerError(code: "tls_key_invalid",
                                  message: "The TLS private key file \(keyPath) holds no usable unencrypted PEM private key (\(openSSLReason())).")
        }
        defer { EVP_PKEY_free(key) }
        guard SSL_CTX_use_PrivateKey(ctx, key) == 1, SSL_CTX_check_private_key(ctx) == 1 else {
            throw HTTPServerError(code: "tls_key_mismatch",
                                  message: "The TLS private key \(keyPath) does not match the certificate in \(certPath).")
        }
        ERR_clear_error()
        return context
    }

    private static func checkReadable(_ path: String, code: String, what: String) throws(HTTPServerError) {
        guard let file = fopen(path, "r") else {
            throw HTTPServerError(code: code, message: "Cannot read the \(what) \(path): \(String(cString: strerror(errno))).")
        }
        fclose(file)
    }

    private static func readPrivateKey(_ path: String) -> OpaquePointer? {
        guard let bio = BIO_new_file(path, "r") else { return nil }
        defer { BIO_free(bio) }
        return PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in 0 }, nil)
    }

    /// The first queued OpenSSL reason (e.g. "no start line"), then the queue is emptied so it
    /// cannot be mistaken for a later call's error on this thread.
    static func openSSLReason() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0, let reason = ERR_reason_error_string(code) else { return "unknown OpenSSL error" }
        return String(cString: reason)
    }
}
