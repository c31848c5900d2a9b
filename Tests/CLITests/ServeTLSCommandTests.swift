import Foundation
import Glibc
import TestSupport
import Testing

/// `serve --tls-cert --tls-key` as an operator runs it: HTTPS that an independent client
/// (Python's `ssl`) verifies against the certificate, a warning for a key others can read, and
/// the two flags refused one without the other.
@Suite(.serialized)
struct ServeTLSCommandTests {
    static let client = """
        import ssl, sys, urllib.request
        ctx = ssl.create_default_context(cafile=sys.argv[1])
        with urllib.request.urlopen(sys.argv[2], context=ctx, timeout=30) as r:
            print(r.status, r.read().decode())
        """

    @Test func serveAnswersHTTPSWithTheGivenCertificateAndWarnsAboutAReadableKey() throws {
        let certificate = try SelfSignedCertificate.server.get()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("mlc-cli-tls-\(getpid())")
        try? FileManager.default.removeItem(at: home)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        // A copy of the key that group and others can read: served, with a warning.
        let key = home.appendingPathComponent("key.pem").path
        try FileManager.default.copyItem(atPath: certificate.keyPath, toPath: key)
        chmod(key, 0o644)

        let server = try ServerProcess(["serve", "--port", "0", "--workers", "0", "--home", home.appendingPathComponent("data").path,
                                        "--tls-cert", certificate.certificatePath, "--tls-key", key], logName: "tls")
        defer { _ = try? server.terminate() }
        let port = try server.waitForPort()
        let answer = try PythonVenv.script(Self.client, [certificate.certificatePath, "https://127.0.0.1:\(port)/healthz"])
        #expect(answer.hasPrefix("200 "), "\(answer)\n\(server.log)")
        #expect(server.log.contains("\"scheme\":\"https\""), "\(server.log)")
        #expect(server.log.contains("chmod 600"), "\(server.log)")
        // The same client without the certificate as its CA refuses the server.
        let unverified = Result { try PythonVenv.script(Self.client, [try SelfSignedCertificate.unrelated.get().certificatePath,
                                                                      "https://127.0.0.1:\(port)/healthz"]) }
        #expect(throws: (any Error).self) { try unverified.get() }
        #expect(try server.terminate() == 0, "\(server.log)")
    }

    @Test func aCertificateWithoutItsKeyIsRefusedBeforeAnythingStarts() throws {
        let certificate = try SelfSignedCertificate.server.get()
        let (status, output) = try ServerProcess.run(["serve", "--port", "0", "--tls-cert", certificate.certificatePath])
        #expect(status != 0)
        #expect(output.contains("--tls-cert and --tls-key"), "\(output)")
        #expect(!output.contains("listening"))
    }
}
