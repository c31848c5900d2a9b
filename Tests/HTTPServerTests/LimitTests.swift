import Foundation
import Glibc
import Testing
@testable import HTTPServer

/// Every limit of `ServerConfiguration`, proven by sending the offending bytes over a real socket.
@Suite struct LimitTests {
    @Test func headersOverTheLimitGet431AndTheConnectionCloses() throws {
        try withServer({ $0.maxHeadBytes = 1024 }) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "a", count: 2000) + "\r\n\r\n")
            let reply = try client.readResponse()
            #expect(reply.status == 431)
            #expect(reply.header("Connection") == "close")
            #expect(client.readUntilClosed() != nil)

            let fits = try RawClient(port: server.port)
            try fits.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "a", count: 900) + "\r\n\r\n")
            #expect(try fits.readResponse().status == 200)
        }
    }

    @Test func theDefault16KiBHeadLimitHolds() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try? client.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "a", count: 17 * 1024) + "\r\n\r\n")
            #expect(try client.readResponse().status == 431)
        }
    }

    @Test func aBodyOverTheLimitGets413() throws {
        try withServer({ $0.maxBodyBytes = 1000 }) { server in
            let client = try RawClient(port: server.port)
            try? client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n" + String(repeating: "a", count: 1001))
            let reply = try client.readResponse()
            #expect(reply.status == 413)
            #expect(reply.header("Connection") == "close")

            let chunked = try RawClient(port: server.port)
            try? chunked.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3E9\r\n" + String(repeating: "a", count: 1001) + "\r\n0\r\n\r\n")
            #expect(try chunked.readResponse().status == 413)

            let fits = try RawClient(port: server.port)
            try fits.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + String(repeating: "a", count: 1000))
            #expect(try fits.readResponse().body.count == 1000)
        }
    }

    @Test func aRouteCanRaiseOrLowerTheBodyLimit() throws {
        try withServer({ $0.maxBodyBytes = 100 }, routes: { router in
            router.add(.POST, "/upload", maxBodyBytes: 5000) { .text("\($0.body.count)") }
            router.add(.POST, "/tiny", maxBodyBytes: 2) { .text("\($0.body.count)") }
        }) { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 4000\r\n\r\n" + String(repeating: "a", count: 4000))
            #expect(try client.readResponse().bodyText == "4000")
            try client.send("POST /tiny HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
            #expect(try client.readResponse().status == 413)
        }
    }

    @Test func aClientTricklingItsHeadersIsCutOffWith408() throws {
        try withServer({ $0.headerReadTimeout = .milliseconds(400) }) { server in
            let client = try RawClient(port: server.port)
            let start = ContinuousClock.now
            var sendFailed = false
            // One byte every 100 ms: each arrives well within any per-read timeout, but the head as
            // a whole never completes in time.
            for byte in "GET /hello HTTP/1.1\r\nHost: x\r\nX-Slow: 1234567890".utf8 {
                if (try? client.send([byte])) == nil { sendFailed = true; break }
                usleep(100_000)
                if ContinuousClock.now - start > .seconds(10) { break }
            }
            let answer = client.readUntilClosed().map { String(decoding: $0, as: UTF8.self) }
            #expect(answer?.hasPrefix("HTTP/1.1 408") == true || sendFailed)
            // Cut off long before the ~5 s the trickle would take (loose for a busy CI machine).
            #expect(ContinuousClock.now - start < .seconds(4))
        }
    }

    @Test func aConnectionThatSendsNothingIsClosedAfterTheHeaderTimeout() throws {
        try withServer({ $0.headerReadTimeout = .milliseconds(300); $0.idleTimeout = .seconds(60) }) { server in
            let client = try RawClient(port: server.port)
            #expect(client.readUntilClosed()?.isEmpty == true)
        }
    }

    @Test func aSlowBodyIsCutOffWith408() throws {
        try withServer({ $0.bodyReadTimeout = .milliseconds(300) }) { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
            let reply = try client.readResponse()
            #expect(reply.status == 408)
            #expect(client.readUntilClosed() != nil)
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosed() throws {
        try withServer({ $0.idleTimeout = .milliseconds(300) }) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().status == 200)
            let closed = client.readUntilClosed()
            #expect(closed?.isEmpty == true, "closed quietly, without a response")
            #expect(server.openConnections == 0 || { usleep(100_000); return server.openConnections == 0 }())
        }
    }

    @Test func connectionsBeyondTheMaximumGet503WithRetryAfter() throws {
        try withServer({ $0.maxConnections = 2 }) { server in
            let first = try RawClient(port: server.port)
            let second = try RawClient(port: server.port)
            for client in [first, second] {
                try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try client.readResponse().status == 200)
            }
            let third = try RawClient(port: server.port)
            try? third.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            let reply = try third.readResponse()
            #expect(reply.status == 503)
            #expect(reply.header("Retry-After") == "1")
            #expect(reply.header("Connection") == "close")
            #expect(server.rejectedConnections == 1)

            // Once a slot frees up, new clients are served again.
            first.send_close()
            var served = false
            for _ in 0..<250 where !served {
                usleep(20_000)
                if let client = try? RawClient(port: server.port),
                   (try? client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")) != nil,
                   let reply = try? client.readResponse(), reply.status == 200 {
                    served = true
                }
            }
            #expect(served)
        }
    }
}

extension RawClient {
    func send_close() { Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
}
