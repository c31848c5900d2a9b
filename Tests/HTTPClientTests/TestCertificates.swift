import Foundation

/// Self-signed certificates made with the `openssl` CLI at test time, once per process.
struct SelfSignedCertificate: Sendable {
    let certificatePath: String
    let keyPath: String
    let pem: String

    /// The server's certificate: CN localhost, SAN localhost and 127.0.0.1.
    static let server = Result { try make(name: "server") }
    /// A second, unrelated certificate (to show a wrong CA is rejected).
    static let unrelated = Result { try make(name: "unrelated") }

    private static func make(name: String) throws -> SelfSignedCertificate {
        let dir = try TestFiles.directoryURL()
        let cert = dir.appendingPathComponent("\(name)-cert.pem").path
        let key = dir.appendingPathComponent("\(name)-key.pem").path
        let result = try runCommand("/usr/bin/env", [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ])
        guard result.status == 0 else {
            throw TestSetupError("openssl req failed: \(result.output)")
        }
        return SelfSignedCertificate(certificatePath: cert, keyPath: key,
                                     pem: try String(contentsOfFile: cert, encoding: .utf8))
    }
}
