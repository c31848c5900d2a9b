import Foundation

/// Files a test process writes once (scripts, certificates, seeds) in a directory of its own.
public enum TestFiles {
    public static let directory: Result<URL, TestSetupError> = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("mlc-tests-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return .success(url)
        } catch {
            return .failure(TestSetupError("cannot create \(url.path): \(error)"))
        }
    }()

    /// Writes `text` to `name` in the test directory and returns its path.
    public static func write(_ name: String, _ text: String) throws -> String {
        let path = try directory.get().appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The repository's root (Tests/TestSupport/TestFiles.swift → ../..).
    public static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}

/// Self-signed certificates for localhost / 127.0.0.1, made with the `openssl` CLI once per
/// process (concurrent tests must not rewrite a certificate a server is using).
public struct SelfSignedCertificate: Sendable {
    public let certificatePath: String
    public let keyPath: String
    public let pem: String

    /// A server certificate: CN localhost, SAN localhost and 127.0.0.1.
    public static let server = Result { try make(name: "server") }
    /// A second, unrelated certificate (to show a wrong CA is rejected).
    public static let unrelated = Result { try make(name: "unrelated") }

    private static func make(name: String) throws -> SelfSignedCertificate {
        let dir = try TestFiles.directory.get()
        let cert = dir.appendingPathComponent("\(name)-cert.pem").path
        let key = dir.appendingPathComponent("\(name)-key.pem").path
        let result = try runCommand("/usr/bin/env", [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ])
        guard result.status == 0 else { throw TestSetupError("openssl req failed: \(result.output)") }
        return SelfSignedCertificate(certificatePath: cert, keyPath: key, pem: try String(contentsOfFile: cert, encoding: .utf8))
    }
}
