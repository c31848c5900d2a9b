import Testing
@testable import HTTPServer

/// Feeds `input` to a fresh parser, optionally in pieces, and collects what it yields.
func parse(_ input: String, pieces: Int = 1, bodyLimit: Int = 1 << 20, maxHead: Int = 16 * 1024) -> [RequestParser.Outcome] {
    var parser = RequestParser(limits: .init(maxHeadBytes: maxHead), bodyLimit: { _ in bodyLimit })
    let bytes = Array(input.utf8)
    var outcomes: [RequestParser.Outcome] = []
    let size = max(1, (bytes.count + pieces - 1) / pieces)
    var offset = 0
    outer: while offset < bytes.count {
        parser.append(bytes[offset..<min(bytes.count, offset + size)])
        offset += size
        while true {
            let outcome = parser.next()
            switch outcome {
            case .needMore: continue outer
            case .request: outcomes.append(outcome)
            case .failure: outcomes.append(outcome); break outer
            }
        }
    }
    return outcomes
}

func failureStatus(_ input: String, bodyLimit: Int = 1 << 20, maxHead: Int = 16 * 1024) -> Int? {
    for outcome in parse(input, bodyLimit: bodyLimit, maxHead: maxHead) {
        if case .failure(let e) = outcome { return e.status.code }
    }
    return nil
}

func requests(_ outcomes: [RequestParser.Outcome]) -> [(RequestHead, [UInt8])] {
    outcomes.compactMap { if case .request(let h, let b) = $0 { return (h, b) } else { return nil } }
}

@Suite struct RequestParserTests {
    @Test func aSimpleGetIsParsedWithItsHeaders() throws {
        let r = requests(parse("GET /v1/jobs?state=running HTTP/1.1\r\nHost: x\r\nX-A:  b \r\n\r\n"))
        try #require(r.count == 1)
        #expect(r[0].0.method == .GET)
        #expect(r[0].0.path == "/v1/jobs")
        #expect(r[0].0.query == "state=running")
        #expect(r[0].0.headers["x-a"] == "b")
        #expect(r[0].0.keepAlive)
    }

    @Test func requestsSplitIntoTinyPiecesParseTheSame() throws {
        let text = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /b HTTP/1.1\r\nHost: x\r\n\r\n"
        for pieces in [1, 3, 7, text.utf8.count] {
            let r = requests(parse(text, pieces: pieces))
            try #require(r.count == 2, "pieces \(pieces)")
            #expect(String(decoding: r[0].1, as: UTF8.self) == "hello")
            #expect(r[1].0.path == "/b")
        }
    }

    @Test func chunkedBodiesAreDecodedAndTrailersDropped() throws {
        let text = "POST /e HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\nA\r\n, world!!!\r\n0\r\nX-Trailer: t\r\n\r\n"
        for pieces in [1, 5, text.utf8.count] {
            let r = requests(parse(text, pieces: pieces))
            try #require(r.count == 1)
            #expect(String(decoding: r[0].1, as: UTF8.self) == "hello, world!!!")
            #expect(r[0].0.headers["X-Trailer"] == nil)
        }
    }

    @Test func http10ClosesUnlessKeepAliveIsAsked() throws {
        let plain = requests(parse("GET / HTTP/1.0\r\n\r\n"))
        let asked = requests(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"))
        let closing = requests(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        #expect(plain.first?.0.keepAlive == false)
        #expect(asked.first?.0.keepAlive == true)
        #expect(closing.first?.0.keepAlive == false)
    }

    @Test func leadingEmptyLinesAreIgnored() {
        #expect(requests(parse("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", pieces: 9)).count == 1)
    }

    @Test(arguments: [
        // request line
        ("GET /\r\nHost: x\r\n\r\n", 400),
        ("GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400),
        ("G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET / HTTP/1.x\r\nHost: x\r\n\r\n", 400),
        ("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        ("BREW / HTTP/1.1\r\nHost: x\r\n\r\n", 501),
        ("GET nopath HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET /a\u{7F}b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        // line endings
        ("GET / HTTP/1.1\nHost: x\n\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\n\r\n", 400),
        // header names and values
        ("GET / HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nName : v\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\n: v\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nA: b\0c\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nA: caf\u{E9}\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nA: b\u{1B}\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n folded\r\n\r\n", 400),
        // host
        ("GET / HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        // framing
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\n\r\nabc", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        // chunks
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n", 400),
        // expectations
        ("POST / HTTP/1.1\r\nHost: x\r\nExpect: something\r\nContent-Length: 1\r\n\r\na", 417),
    ])
    func malformedInputIsRejectedWithTheRightStatus(input: String, status: Int) {
        #expect(failureStatus(input) == status)
    }

    @Test func anOverlongHeadIsRejectedWith431BeforeItEnds() {
        let long = "GET / HTTP/1.1\r\nHost: x\r\nX: " + String(repeating: "a", count: 20_000)
        #expect(failureStatus(long) == 431)
        #expect(failureStatus("GET /" + String(repeating: "a", count: 20_000) + " HTTP/1.1\r\n\r\n") == 431)
    }

    @Test func tooManyHeaderFieldsAre431() {
        let head = "GET / HTTP/1.1\r\nHost: x\r\n" + (0..<101).map { "H\($0): v\r\n" }.joined() + "\r\n"
        #expect(failureStatus(head) == 431)
    }

    @Test func aDeclaredBodyOverTheLimitIsRefusedBeforeItArrives() {
        #expect(failureStatus("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", bodyLimit: 10) == 413)
    }

    @Test func aChunkedBodyIsLimitedByItsDecodedSize() {
        let chunk = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nabcdef\r\n0\r\n\r\n"
        #expect(failureStatus(chunk, bodyLimit: 10) == 413)
        #expect(failureStatus(chunk, bodyLimit: 12) == nil)
    }

    @Test func aTruncatedBodyWaitsForMoreAndNeverYieldsARequest() {
        var parser = RequestParser()
        parser.append(Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc".utf8))
        guard case .needMore = parser.next() else { Issue.record("expected needMore"); return }
        #expect(parser.headAwaitingBody?.contentLength == 10)
        #expect(!parser.isIdle)
    }

    @Test func afterAFailureTheParserKeepsFailing() {
        var parser = RequestParser()
        parser.append(Array("BAD\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        guard case .failure = parser.next() else { Issue.record("expected failure"); return }
        guard case .failure = parser.next() else { Issue.record("expected failure again"); return }
    }

    @Test func randomBytesNeverCrashTheParser() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var parser = RequestParser(limits: .init(maxHeadBytes: 512))
            let count = Int.random(in: 0..<600, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if Bool.random() { bytes = Array("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".utf8) + bytes }
            parser.append(bytes)
            for _ in 0..<10 {
                if case .needMore = parser.next() { break }
            }
        }
    }
}
