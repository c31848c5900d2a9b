/// TLS settings for one request.
///
/// Verification of the server's certificate chain and host name is on by default. A tenant with
/// its own CA (a GP server with a company-internal certificate) gives that CA as PEM text in
/// `caPEM`: it is handed to OpenSSL in memory (`CURLOPT_CAINFO_BLOB`) and replaces the system
/// store for that request. `insecureSkipVerification` accepts any certificate: it exists for
/// self-signed GP test servers, and every request made with it logs a warning.
public struct HTTPTLS: Sendable, Hashable {
    /// Check the certificate chain and the host name. `false` is the insecure mode.
    public var verify: Bool
    /// Trusted CA certificates (one or more PEM blocks) instead of the system store.
    public var caPEM: String?

    public init(verify: Bool = true, caPEM: String? = nil) {
        self.verify = verify
        self.caPEM = caPEM
    }

    /// Verification on, system CA store.
    public static let standard = HTTPTLS()

    /// Verification on, trusting only the given CA certificates.
    public static func trusting(caPEM: String) -> HTTPTLS {
        HTTPTLS(verify: true, caPEM: caPEM)
    }

    /// No verification at all: anyone on the path can impersonate the server. Logged loudly.
    public static let insecureSkipVerification = HTTPTLS(verify: false)
}
