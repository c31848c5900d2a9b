import Foundation
import TestSupport
import HTTPClient
import Testing

/// HTTPS against Python's `ssl` with a self-signed certificate made by the openssl CLI.
@Suite("HTTPClient TLS verification against a self-signed server")
struct HTTPClientTLSTests {
    private func startServer() async throws -> (ChildServer, SelfSignedCertificate) {
        let certificate = try SelfSignedCertificate.server.get()
        let server = try await PythonTestServer.start("tls", [certificate.certificatePath, certificate.keyPath])
        return (server, certificate)
    }

    @Test func aSelfSignedCertificateFailsVerificationByDefault() async throws {
        let (server, _) = try await startServer()
        defer { server.stop() }

        let error = try #require(try await send(HTTPRequest(url: "https://127.0.0.1:\(server.port)/")).error)

        #expect(error.code == "tls_failed")
        guard case .tlsFailed(let host, let reason) = error else { Issue.record("not tls_failed: \(error)"); return }
        #expect(host == "127.0.0.1")
        #expect(reason.contains("certificate"))
        #expect(error.message.contains("TLS handshake with 127.0.0.1 failed"))
    }

    @Test func theServersCertificateAsCAPEMIsTrusted() async throws {
        let (server, certificate) = try await startServer()
        defer { server.stop() }
        let request = HTTPRequest(url: "https://localhost:\(server.port)/secure", tls: .trusting(caPEM: certificate.pem))

        let response = try #require(try await send(request).response)

        #expect(response.status == 200)
        #expect(try Echo(response).path == "/secure")
        #expect(response.timing.tlsMs > 0)
    }

    @Test func anUnrelatedCAPEMIsRejected() async throws {
        let (server, _) = try await startServer()
        defer { server.stop() }
        let other = try SelfSignedCertificate.unrelated.get()
        let request = HTTPRequest(url: "https://localhost:\(server.port)/", tls: .trusting(caPEM: other.pem))

        #expect(try await send(request).error?.code == "tls_failed")
    }

    @Test func insecureModeAcceptsTheCertificateAndWarnsOnEveryRequest() async throws {
        let (server, _) = try await startServer()
        defer { server.stop() }
        let capture = LogCapture()
        let request = HTTPRequest(url: "https://127.0.0.1:\(server.port)/", tls: .insecureSkipVerification)

        let results = try await send([request, request], logger: capture.logger())

        #expect(results.map { $0.response?.status } == [200, 200])
        let warnings = capture.all.filter { $0.level == .warning && $0.text.contains("VERIFICATION IS OFF") }
        #expect(warnings.count == 2)
    }

    @Test func verificationIsNotDisabledForLaterRequestsOnTheSameClient() async throws {
        let (server, _) = try await startServer()
        defer { server.stop() }
        let url = "https://127.0.0.1:\(server.port)/"

        let results = try await send([HTTPRequest(url: url, tls: .insecureSkipVerification), HTTPRequest(url: url)])

        #expect(results[0].response?.status == 200)
        // The reused connection was verified with other settings, so libcurl must not reuse it.
        #expect(results[1].error?.code == "tls_failed")
    }
}
