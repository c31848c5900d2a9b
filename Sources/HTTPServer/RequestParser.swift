/// A pure, incremental HTTP/1.1 request parser: feed it bytes with `append`, take requests with
/// `next()`. It does no IO, so it is table-tested with exact byte strings.
///
/// It is strict on purpose: bare LF line endings, obs-fold, invalid token or value bytes (control
/// characters, NUL, non-ASCII), duplicate `Content-Length`, `Content-Length` together with
/// `Transfer-Encoding` (request smuggling) and malformed chunk sizes are all rejected with 400,
/// after which the connection is closed. A lenient parser in front of or behind a different
/// lenient parser is how request smuggling happens.
///
/// Chunked request bodies are decoded rather than refused with 411: curl and most HTTP client
/// libraries send chunked bodies when they stream, and decoding costs little. The body limit
/// applies to the decoded size, which is what the handler will hold in memory; the chunk framing
/// itself is bounded by the per-line limit.
public struct RequestParser {
    public struct Limits: Sendable {
        /// Request line plus header fields (and, separately, chunked trailers), in bytes.
        public var maxHeadBytes: Int
        public var maxHeaderCount: Int
        public init(maxHeadBytes: Int = 16 * 1024, maxHeaderCount: Int = 100) {
            self.maxHeadBytes = maxHeadBytes
            self.maxHeaderCount = maxHeaderCount
        }
    }

    public enum Outcome {
        case request(RequestHead, body: [UInt8])
        case needMore
        case failure(ParseError)
    }

    enum State {
        case head
        case fixedBody(RequestHead, remaining: Int, limit: Int)
        case chunkSize(RequestHead, limit: Int)
        case chunkData(RequestHead, remaining: Int, limit: Int)
        case chunkDataEnd(RequestHead, limit: Int)
        case trailers(RequestHead)
        case failed(ParseError)
    }

    let limits: Limits
    /// The body limit for a request, decided once its head is known (routes may raise it).
    let bodyLimit: (RequestHead) -> Int
    var buffer: [UInt8] = []
    var start = 0
    /// Where the search for the end of the head (or of a line) resumes, so trickled bytes are
    /// scanned once, not again on every read.
    var scanned = 0
    var lineStart = 0
    var body: [UInt8] = []
    var state: State = .head
    static let maxChunkLineBytes = 4096

    public init(limits: Limits = Limits(), bodyLimit: @escaping (RequestHead) -> Int = { _ in 1 << 20 }) {
        self.limits = limits
        self.bodyLimit = bodyLimit
    }

    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
    }

    /// True when nothing of a next request has arrived: the connection is idle between requests.
    public var isIdle: Bool {
        if case .head = state { return start == buffer.count }
        return false
    }

    /// True while the request line and headers are still arriving.
    public var isReadingHead: Bool {
        if case .head = state { return start < buffer.count }
        return false
    }

    /// The head of a request whose body is still arriving (used for `Expect: 100-continue`).
    public var headAwaitingBody: RequestHead? {
        switch state {
        case .fixedBody(let h, _, _), .chunkSize(let h, _), .chunkData(let h, _, _), .chunkDataEnd(let h, _), .trailers(let h):
            return h
        case .head, .failed:
            return nil
        }
    }

    /// The next complete request, `.needMore`, or the failure that ends the connection.
    public mutating func next() -> Outcome {
        while true {
            let step = self.step()
            switch step {
            case .progress: continue
            case .done(let outcome):
                if case .failure(let error) = outcome { state = .failed(error) }
                switch outcome {
                case .request, .needMore: compact()
                case .failure: break
                }
                return outcome
            }
        }
    }

    enum Step {
        case progress
        case done(Outcome)
    }

    mutating func step() -> Step {
        switch state {
        case .failed(let error):
            return .done(.failure(error))
        case .head:
            return parseHeadIfComplete()
        case .fixedBody(let head, let remaining, let limit):
            let available = buffer.count - start
            let take = min(available, remaining)
            if take > 0 {
                body.append(contentsOf: buffer[start..<start + take])
                start += take
            }
            if take == remaining { return finish(head) }
            state = .fixedBody(head, remaining: remaining - take, limit: limit)
            return .done(.needMore)
        case .chunkSize(let head, let limit):
            return parseChunkSize(head, limit: limit)
        case .chunkData(let head, let remaining, let limit):
            let take = min(buffer.count - start, remaining)
            if take > 0 {
                body.append(contentsOf: buffer[start..<start + take])
                start += take
            }
            if take == remaining {
                state = .chunkDataEnd(head, limit: limit)
                return .progress
            }
            state = .chunkData(head, remaining: remaining - take, limit: limit)
            return .done(.needMore)
        case .chunkDataEnd(let head, let limit):
            guard buffer.count - start >= 2 else { return .done(.needMore) }
            guard buffer[start] == 0x0D, buffer[start + 1] == 0x0A else {
                return .done(.failure(.bad("invalid_chunk", "A chunk's data is not followed by CRLF.")))
            }
            start += 2
            scanned = start
            lineStart = start
            state = .chunkSize(head, limit: limit)
            return .progress
        case .trailers(let head):
            return parseTrailers(head)
        }
    }

    mutating func finish(_ head: RequestHead) -> Step {
        let b = body
        body = []
        state = .head
        scanned = start
        lineStart = start
        return .done(.request(head, body: b))
    }

    /// Drops consumed bytes so the buffer does not grow across a long keep-alive connection.
    mutating func compact() {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 64 * 1024)
            start = 0
            scanned = 0
            lineStart = 0
        } else if start > 32 * 1024 {
            buffer.removeFirst(start)
            scanned -= start
            lineStart -= start
            start = 0
        }
    }

    /// Finds the empty line that ends the head. A lone LF also counts as a line end here so that
    /// bare-LF heads are rejected at once (as 400) instead of waiting for a CRLF that never comes.
    ///
    /// Bytes that can never appear in a head (controls other than CR, LF and HTAB; DEL; non-ASCII)
    /// fail at once, so a TLS handshake or binary junk is answered 400 instead of waiting for
    /// the header timeout. Returns -1 for that case.
    mutating func findEndOfHead() -> Int? {
        var i = scanned
        let n = buffer.count
        while i < n {
            let c = buffer[i]
            if c >= 0x7F || (c < 0x20 && c != 0x09 && c != 0x0D && c != 0x0A) { return -1 }
            if c == 0x0A {
                let contentEnd = (i > lineStart && buffer[i - 1] == 0x0D) ? i - 1 : i
                if contentEnd == lineStart {
                    // Empty lines before a request line are ignored (RFC 9112 §2.2).
                    if lineStart != start { return i + 1 }
                    start = i + 1
                }
                lineStart = i + 1
            }
            i += 1
        }
        scanned = n
        return nil
    }
}
