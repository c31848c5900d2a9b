import Foundation
import Glibc
import Testing
@testable import HTTPServer

@Suite struct ConnectionTests {
    @Test func keepAliveServesManyRequestsOnOneConnection() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            for _ in 0..<5 {
                try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
                let reply = try client.readResponse()
                #expect(reply.status == 200)
                #expect(reply.bodyText == "hello")
                #expect(reply.header("Content-Length") == "5")
                #expect(reply.header("Date")?.hasSuffix("GMT") == true)
                #expect(reply.header("Connection") == nil)
            }
            #expect(server.acceptedConnections == 1)
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        try withServer(routes: { router in
            router.add(.GET, "/n/{n}") { request in
                // Later requests finish faster: order must come from the connection, not timing.
                let n = Int(request.parameters["n"]!)!
                usleep(UInt32((5 - n) * 2000))
                return .text("\(n)")
            }
        }) { server in
            let client = try RawClient(port: server.port)
            try client.send((0..<5).map { "GET /n/\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined()
                            + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
            for n in 0..<5 {
                #expect(try client.readResponse().bodyText == "\(n)")
            }
            #expect(try client.readResponse().bodyText == "abc")
        }
    }

    @Test func http10ConnectionsCloseAfterOneResponseUnlessKeepAliveIsAsked() throws {
        try withServer { server in
            let plain = try RawClient(port: server.port)
            try plain.send("GET /hello HTTP/1.0\r\n\r\n")
            let reply = try plain.readResponse()
            #expect(reply.status == 200)
            #expect(reply.header("Connection") == "close")
            #expect(plain.readUntilClosed() != nil)

            let kept = try RawClient(port: server.port)
            try kept.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try kept.readResponse().header("Connection") == "keep-alive")
            try kept.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try kept.readResponse().status == 200)
        }
    }

    @Test func connectionCloseIsHonouredAfterTheResponse() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            let reply = try client.readResponse()
            #expect(reply.header("Connection") == "close")
            #expect(client.readUntilClosed()?.isEmpty == true, "the second pipelined request is not answered")
        }
    }

    @Test func expectContinueGets100BeforeTheBodyIsSent() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            #expect(try client.readResponse().status == 100)
            try client.send("ping")
            let reply = try client.readResponse()
            #expect(reply.status == 200)
            #expect(reply.bodyText == "ping")
        }
    }

    @Test func expectContinueOverTheLimitGets413WithoutWaitingForTheBody() throws {
        try withServer({ $0.maxBodyBytes = 100 }) { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\nExpect: 100-continue\r\n\r\n")
            let reply = try client.readResponse()
            #expect(reply.status == 413)
            #expect(reply.header("Connection") == "close")
        }
    }

    @Test func expectContinueOnAnUnknownRouteGets404AndNo100() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            #expect(try client.readResponse().status == 404)
        }
    }

    @Test func otherExpectationsGet417() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 200-ok\r\n\r\nping")
            #expect(try client.readResponse().status == 417)
        }
    }

    @Test func headGetsTheSameHeadersAsGetButNoBody() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try client.readResponse(bodyless: true)
            try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            let get = try client.readResponse()
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "5")
            #expect(head.header("Content-Type") == get.header("Content-Type"))
            #expect(get.bodyText == "hello", "no stray HEAD body bytes precede the GET response")
        }
    }

    @Test func chunkedRequestBodiesReachTheHandlerDecoded() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n")
            try client.send("2\r\nde\r\n0\r\n\r\n")
            #expect(try client.readResponse().bodyText == "abcde")
        }
    }

    @Test func theServerListensOnIPv6Loopback() throws {
        try withServer({ $0.host = "::1" }) { server in
            let client = try RawClient(port: server.port, host: "::1")
            try client.send("GET /hello HTTP/1.1\r\nHost: [::1]\r\n\r\n")
            #expect(try client.readResponse().bodyText == "hello")
        }
    }

    @Test func bindingAPortInUseFailsWithACode() throws {
        try withServer { server in
            let second = HTTPServer(configuration: .init(host: "127.0.0.1", port: server.port), router: Router())
            #expect { try second.start() } throws: { ($0 as? HTTPServerError)?.code == "bind_failed" }
            let bad = HTTPServer(configuration: .init(host: "not-an-ip", port: 0), router: Router())
            #expect { try bad.start() } throws: { ($0 as? HTTPServerError)?.code == "invalid_host" }
        }
    }

    @Test func largeResponsesArriveWhole() throws {
        let big = [UInt8](repeating: 0x61, count: 3 << 20)
        try withServer(routes: { $0.add(.GET, "/big") { _ in Response(body: big) } }) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().body == big)
            #expect(try client.readResponse().bodyText == "hello")
        }
    }

    @Test func aBlockingHandlerDoesNotHoldUpOtherConnections() throws {
        let release = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        try withServer(routes: { router in
            router.add(.GET, "/block") { _ in
                entered.signal()
                release.wait()
                return .text("released")
            }
        }) { server in
            let blocked = try RawClient(port: server.port)
            try blocked.send("GET /block HTTP/1.1\r\nHost: x\r\n\r\n")
            entered.wait()
            let other = try RawClient(port: server.port)
            try other.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try other.readResponse().bodyText == "hello")
            release.signal()
            #expect(try blocked.readResponse().bodyText == "released")
        }
    }

    @Test func garbageNeverCrashesTheServerAndTheNextClientIsServed() throws {
        try withServer { server in
            var generator = SystemRandomNumberGenerator()
            let inputs: [[UInt8]] = [
                Array("\0\0\0\0\r\n\r\n".utf8),
                Array("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n".utf8),
                Array("\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}\u{00}\u{01}\u{fc}\u{03}\u{03}".utf8), // a TLS hello
                (0..<3000).map { _ in UInt8.random(in: 0...255, using: &generator) },
            ]
            for input in inputs {
                let client = try RawClient(port: server.port)
                try? client.send(input)
                let answer = client.readUntilClosed()
                #expect(answer != nil, "the server closes the connection")
                if let answer, !answer.isEmpty {
                    #expect(String(decoding: answer.prefix(12), as: UTF8.self).hasPrefix("HTTP/1.1 4") ||
                            String(decoding: answer.prefix(12), as: UTF8.self).hasPrefix("HTTP/1.1 5"))
                }
            }
            let client = try RawClient(port: server.port)
            try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().status == 200)
        }
    }

    @Test func aClientThatVanishesMidResponseDoesNotKillTheServer() throws {
        let big = [UInt8](repeating: 0x62, count: 8 << 20)
        try withServer(routes: { $0.add(.GET, "/big") { _ in Response(body: big) } }) { server in
            do {
                let client = try RawClient(port: server.port)
                var linger = linger(l_onoff: 1, l_linger: 0)
                setsockopt(client.fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
                try client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = client.fill()
            } // closed with a reset while the server is still writing
            let client = try RawClient(port: server.port)
            try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().status == 200)
        }
    }
}
