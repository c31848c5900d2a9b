import Foundation
import TestSupport
import HTTPClient
import Synchronization
import Testing

@Suite("HTTPClient.forCurrentThread and retry hints over real sockets")
struct HTTPClientThreadTests {
    @Test func eachThreadKeepsOneClientAndItsConnection() async throws {
        let server = try await PythonTestServer.start("echo")
        defer { server.stop() }
        let url = server.baseURL + "/"

        let (sameInstance, echoes) = try await onThread {
            let a = HTTPClient.forCurrentThread(), b = HTTPClient.forCurrentThread()
            let first = try Echo(try a.perform(HTTPRequest(url: url)))
            let second = try Echo(try b.perform(HTTPRequest(url: url)))
            return (a === b, [first.connection, second.connection])
        }
        let otherThread = try await onThread { try Echo(try HTTPClient.forCurrentThread().perform(HTTPRequest(url: url))).connection }

        #expect(sameInstance)
        #expect(echoes[0] == echoes[1])
        #expect(otherThread != echoes[0])
    }

    @Test func aThreadsClientIsReleasedWhenTheThreadEnds() async throws {
        final class WeakBox: @unchecked Sendable {
            weak var client: HTTPClient?
            var wasAlive = false
        }
        let box = WeakBox()
        let finished = DispatchSemaphore(value: 0)
        Thread {
            box.client = HTTPClient.forCurrentThread()
            box.wasAlive = box.client != nil
            finished.signal()
        }.start()
        try await onThread {
            finished.wait()
            // Thread-specific destructors run just after the thread's body returns.
            let deadline = ContinuousClock.now + .seconds(5)
            while box.client != nil, ContinuousClock.now < deadline { usleep(10_000) }
        }
        #expect(box.wasAlive)
        #expect(box.client == nil)
    }

    @Test func a429sRetryAfterSecondsReachesTheRetryPolicy() async throws {
        let server = try await PythonTestServer.start("echo")
        defer { server.stop() }

        let response = try #require(try await send(HTTPRequest(url: server.baseURL + "/status/429?retry-after=7")).response)

        #expect(response.status == 429)
        #expect(response.headers["retry-after"] == "7")
        let decision = RetryPolicy().decide(.response(response), attempt: 1, idempotent: false, now: 0, random: 0.5)
        #expect(decision == .retry(afterSeconds: 7))
    }

    @Test func a503sRetryAfterDateReachesTheRetryPolicy() async throws {
        let server = try await PythonTestServer.start("echo")
        defer { server.stop() }
        let date = "Tue, 14 Nov 2023 22:13:50 GMT"
        let encoded = date.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!

        let response = try #require(try await send(HTTPRequest(url: server.baseURL + "/status/503?retry-after=\(encoded)")).response)

        #expect(response.headers["Retry-After"] == date)
        let decision = RetryPolicy().decide(.response(response), attempt: 1, idempotent: true, now: 1_700_000_000, random: 0.5)
        #expect(decision == .retry(afterSeconds: 30))
    }
}
