import Foundation
import Glibc
import TestSupport
import Testing
@testable import HTTPServer

/// Native HTTPS: real sockets, a self-signed certificate from the openssl CLI, and Python's `ssl`
/// as the independent client. Timeouts here are short only where the behaviour is a timeout;
/// every wait for it is generous.
@Suite struct TLSTests {
    static func certificate() throws -> SelfSignedCertificate { try SelfSignedCertificate.server.get() }

    static func tls(_ certificate: SelfSignedCertificate) -> TLSConfiguration {
        TLSConfiguration(certificateChainPath: certificate.certificatePath, privateKeyPath: certificate.keyPath)
    }

    @Test func anIndependentClientGetsAndPostsOverOneKeepAliveTLSConnection() async throws {
        let certificate = try Self.certificate()
        let (box, accepted) = try await onThread { () -> (SendableBox<[String: Any]>, Int) in
            var result: [String: Any] = [:]
            var accepted = 0
            try withServer({ $0.tls = Self.tls(certificate) }) { server in
                result = try TLSClient.run("keepalive", port: server.port, ca: certificate.certificatePath)
                accepted = server.acceptedConnections
            }
            return (SendableBox(result), accepted)
        }
        let output = box.value
        let results = output["results"] as? [[Any]] ?? []
        #expect(results.count == 5)
        #expect(results.first?.map { "\($0)" } == ["200", "hello"])
        #expect(results.dropFirst().first?.map { "\($0)" } == ["200", "102400", "1"])
        #expect(results.dropFirst(2).map { $0.map { "\($0)" } } == [["200", "n=0"], ["200", "n=1"], ["200", "n=2"]])
        #expect(output["same_socket"] as? Bool == true)
        #expect(accepted == 1)
        #expect((output["version"] as? String)?.hasPrefix("TLSv1.") == true)
    }

    @Test func connectionCloseOverTLSAnswersThenEndsWithCloseNotify() async throws {
        let certificate = try Self.certificate()
        let output = try await onThread {
            var result: [String: Any] = [:]
            try withServer({ $0.tls = Self.tls(certificate) }) { server in
                result = try TLSClient.run("close", port: server.port, ca: certificate.certificatePath)
            }
            return SendableBox(result)
        }.value
        let response = output["response"] as? String ?? ""
        #expect(response.hasPrefix("HTTP/1.1 200"))
        #expect(response.contains("Connection: close"))
        #expect(response.hasSuffix("hello"))
        #expect(output["end"] as? String == "close_notify")
    }

    @Test func anIdleKeepAliveTLSConnectionIsClosedCleanlyAfterTheIdleTimeout() async throws {
        let certificate = try Self.certificate()
        let output = try await onThread {
            var result: [String: Any] = [:]
            try withServer({
                $0.tls = Self.tls(certificate)
                $0.idleTimeout = .seconds(1)
            }) { server in
                result = try TLSClient.run("idle", port: server.port, ca: certificate.certificatePath)
            }
            return SendableBox(result)
        }.value
        #expect((output["response"] as? String)?.hasPrefix("HTTP/1.1 200") == true)
        #expect(output["end"] as? String == "close_notify")
    }

    @Test func gracefulShutdownClosesAnIdleTLSConnectionWithCloseNotify() async throws {
        let certificate = try Self.certificate()
        let marker = try TestFiles.directory.get().appendingPathComponent("tls-idle-\(UUID().uuidString)").path
        let output = try await onThread {
            var result: [String: Any] = [:]
            try withServer({ $0.tls = Self.tls(certificate) }) { server in
                let client = Thread.detachedResult {
                    try TLSClient.run("idle", port: server.port, ca: certificate.certificatePath, extra: [marker])
                }
                let deadline = Date().addingTimeInterval(60)
                while !FileManager.default.fileExists(atPath: marker) && Date() < deadline { usleep(20_000) }
                server.shutdown(timeout: .seconds(30))
                result = try client.wait()
            }
            return SendableBox(result)
        }.value
        #expect((output["response"] as? String)?.contains("hello") == true)
        #expect(output["end"] as? String == "close_notify")
    }

    @Test func plainHTTPOnTheTLSPortIsClosedAndTheNextClientIsServed() async throws {
        let certificate = try Self.certificate()
        let (closed, output) = try await onThread {
            var closed = false
            var result: [String: Any] = [:]
            try withServer({ $0.tls = Self.tls(certificate) }) { server in
                let plain = try RawClient(port: server.port, timeoutMs: 60_000)
                try plain.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
                let bytes = plain.readUntilClosed()
                // Closed (maybe after a TLS alert), never answered in plain HTTP.
                closed = bytes != nil && !String(decoding: bytes!, as: UTF8.self).contains("HTTP/1.1")
                result = try TLSClient.run("keepalive", port: server.port, ca: certificate.certificatePath)
            }
            return (closed, SendableBox(result))
        }
        #expect(closed)
        #expect((output.value["results"] as? [[Any]])?.count == 5)
    }

    @Test(arguments: ["silent", "garbage", "half handshake"])
    func aClientThatNeverCompletesTheHandshakeIsCutAtTheHeaderTimeout(_ kind: String) async throws {
        let certificate = try Self.certificate()
        let (closed, openAfter, output) = try await onThread {
            var closed = false
            var openAfter = -1
            var result: [String: Any] = [:]
            try withServer({
                $0.tls = Self.tls(certificate)
                $0.headerReadTimeout = .seconds(1)
            }) { server in
                let stalled = try RawClient(port: server.port, timeoutMs: 60_000)
                switch kind {
                case "garbage": try stalled.send(Array(repeating: 0x42, count: 300))
                case "half handshake": try stalled.send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03])
                default: break
                }
                // Another client is served while the stalled one holds its thread.
                result = try TLSClient.run("keepalive", port: server.port, ca: certificate.certificatePath)
                closed = stalled.readUntilClosed() != nil
                let deadline = Date().addingTimeInterval(30)
                while server.openConnections > 0 && Date() < deadline { usleep(20_000) }
                openAfter = server.openConnections
            }
            return (closed, openAfter, SendableBox(result))
        }
        #expect(closed, "the server kept the \(kind) connection open")
        #expect(openAfter == 0)
        #expect((output.value["results"] as? [[Any]])?.count == 5)
    }

    @Test func aTLSConnectionBeyondTheLimitIsClosedWithoutAPlainTextAnswer() async throws {
        let certificate = try Self.certificate()
        let (bytes, rejected) = try await onThread { () -> ([UInt8]?, Int) in
            var bytes: [UInt8]?
            var rejected = -1
            try withServer({
                $0.tls = Self.tls(certificate)
                $0.maxConnections = 1
                $0.headerReadTimeout = .seconds(60)
            }) { server in
                let holder = try RawClient(port: server.port, timeoutMs: 60_000)
                let deadline = Date().addingTimeInterval(30)
                while server.openConnections < 1 && Date() < deadline { usleep(10_000) }
                let extra = try RawClient(port: server.port, timeoutMs: 60_000)
                bytes = extra.readUntilClosed()
                rejected = server.rejectedConnections
                _ = holder
            }
            return (bytes, rejected)
        }
        #expect(bytes == [])
        #expect(rejected == 1)
    }

    @Test func aKeyThatBelongsToAnotherCertificateFailsStart() throws {
        let certificate = try Self.certificate()
        let other = try SelfSignedCertificate.unrelated.get()
        let error = startError(TLSConfiguration(certificateChainPath: certificate.certificatePath, privateKeyPath: other.keyPath))
        #expect(error?.code == "tls_key_mismatch")
        #expect(error?.message.contains(other.keyPath) == true)
        #expect(error?.message.contains(certificate.certificatePath) == true)
        #expect(error?.message.contains("PRIVATE KEY") == false)
    }

    @Test func aMissingFileFailsStartNamingThePath() throws {
        let certificate = try Self.certificate()
        let missing = "/nonexistent/mlc-\(UUID().uuidString).pem"
        let noCert = startError(TLSConfiguration(certificateChainPath: missing, privateKeyPath: certificate.keyPath))
        #expect(noCert?.code == "tls_certificate_unreadable")
        #expect(noCert?.message.contains(missing) == true)
        let noKey = startError(TLSConfiguration(certificateChainPath: certificate.certificatePath, privateKeyPath: missing))
        #expect(noKey?.code == "tls_key_unreadable")
        #expect(noKey?.message.contains(missing) == true)
    }

    @Test func filesThatAreNotPEMFailStartWithTheirOwnCodes() throws {
        let certificate = try Self.certificate()
        let junk = try TestFiles.write("tls-junk-\(UUID().uuidString).pem", "not a pem file\n")
        #expect(startError(TLSConfiguration(certificateChainPath: junk, privateKeyPath: certificate.keyPath))?.code
                == "tls_certificate_invalid")
        // A certificate given as the key: readable PEM, but no private key in it.
        #expect(startError(TLSConfiguration(certificateChainPath: certificate.certificatePath,
                                            privateKeyPath: certificate.certificatePath))?.code == "tls_key_invalid")
    }

    /// Starts a server with `tls` and returns why it refused, stopping it if it did start.
    func startError(_ tls: TLSConfiguration) -> HTTPServerError? {
        let server = HTTPServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0, tls: tls), router: Router())
        do {
            try server.start()
            server.shutdown(timeout: .seconds(2))
            return nil
        } catch let error as HTTPServerError {
            return error
        } catch {
            return nil
        }
    }
}

/// Parsed JSON crossing a thread boundary once, read-only.
struct SendableBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

extension Thread {
    /// Runs `body` on a new thread; `wait()` returns its result.
    static func detachedResult<T>(_ body: @escaping @Sendable () throws -> T) -> PendingResult<T> {
        let pending = PendingResult<T>()
        let thread = Thread {
            let result = Result { try body() }
            pending.finish(result)
        }
        thread.start()
        return pending
    }
}

final class PendingResult<T>: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<T, any Error>?

    func finish(_ result: Result<T, any Error>) {
        condition.lock()
        self.result = result
        condition.broadcast()
        condition.unlock()
    }

    func wait() throws -> T {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return try result!.get()
    }
}
