@testable import HTTPClient
import Testing

@Suite("HTTPHeaders and header-line parsing (pure)")
struct HTTPHeadersTests {
    @Test func lookupIgnoresCaseAndKeepsEveryValueInOrder() {
        var headers: HTTPHeaders = ["Set-Cookie": "a=1"]
        headers.add("set-cookie", "b=2")
        headers.add("Content-Type", "application/json")

        #expect(headers["SET-COOKIE"] == "a=1")
        #expect(headers.values(for: "Set-cookie") == ["a=1", "b=2"])
        #expect(headers["content-type"] == "application/json")
        #expect(headers["missing"] == nil)
        #expect(headers.count == 3)
    }

    @Test func settingANameReplacesAllOfItsFields() {
        var headers: HTTPHeaders = ["X-A": "1", "x-a": "2", "X-B": "3"]
        headers["X-A"] = "new"
        #expect(headers.values(for: "x-a") == ["new"])
        headers["X-B"] = nil
        #expect(!headers.contains("x-b"))
    }

    private func feed(_ lines: [String]) -> TransferSink {
        let sink = TransferSink(maxBodyBytes: 100)
        for line in lines {
            Array(line.utf8).withUnsafeBytes { sink.receiveHeaderLine($0) }
        }
        return sink
    }

    @Test func onlyTheFinalResponsesHeadersAreKept() {
        let sink = feed([
            "HTTP/1.1 401 Unauthorized\r\n", "WWW-Authenticate: NTLM abc\r\n", "Content-Length: 9\r\n", "\r\n",
            "HTTP/1.1 200 OK\r\n", "Content-Type:  application/json \r\n", "X-Multi: one\r\n", "X-Multi: two\r\n", "\r\n",
        ])
        #expect(sink.headers["WWW-Authenticate"] == nil)
        #expect(sink.headers["content-type"] == "application/json")
        #expect(sink.headers.values(for: "x-multi") == ["one", "two"])
    }

    @Test func foldedContinuationLinesJoinThePreviousValue() {
        let sink = feed(["HTTP/1.1 200 OK\r\n", "X-Long: first\r\n", "\t second\r\n", "\r\n"])
        #expect(sink.headers["X-Long"] == "first second")
    }

    @Test func theBodyCapStopsAtTheLimit() {
        let sink = TransferSink(maxBodyBytes: 4)
        let accepted = [UInt8]("abc".utf8).withUnsafeBytes { sink.appendBody($0) }
        let rejected = [UInt8]("de".utf8).withUnsafeBytes { sink.appendBody($0) }
        #expect(accepted && !rejected)
        #expect(sink.exceededSizeCap)
        #expect(sink.body == Array("abc".utf8))
    }
}
