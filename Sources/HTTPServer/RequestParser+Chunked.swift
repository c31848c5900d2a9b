extension RequestParser {
    /// Finds the CRLF ending a line that starts at `start`; bounded so a client cannot make the
    /// server buffer an endless chunk-size line.
    mutating func chunkLineEnd() -> Result<Int?, ParseError> {
        var i = max(scanned, start)
        while i < buffer.count {
            if buffer[i] == 0x0A {
                guard i > start, buffer[i - 1] == 0x0D else {
                    return .failure(.bad("invalid_chunk", "A chunk line does not end with CRLF."))
                }
                return .success(i - 1)
            }
            i += 1
        }
        scanned = i
        if buffer.count - start > Self.maxChunkLineBytes {
            return .failure(.bad("invalid_chunk", "A chunk-size line is too long."))
        }
        return .success(nil)
    }

    mutating func parseChunkSize(_ head: RequestHead, limit: Int) -> Step {
        let end: Int
        switch chunkLineEnd() {
        case .failure(let e): return .done(.failure(e))
        case .success(nil): return .done(.needMore)
        case .success(let e?): end = e
        }
        var size = 0
        var i = start
        while i < end, let digit = Self.hexValue(buffer[i]) {
            guard size < (1 << 40) else {
                return .done(.failure(.bad("invalid_chunk", "A chunk size is too large.")))
            }
            size = size * 16 + digit
            i += 1
        }
        guard i > start else {
            return .done(.failure(.bad("invalid_chunk", "A chunk size is not hexadecimal.")))
        }
        if i < end {
            // Chunk extensions are allowed and ignored, but must be plain visible ASCII.
            let rest = buffer[i..<end]
            guard rest.first == 0x3B || rest.first == 0x20 || rest.first == 0x09,
                  rest.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 }) else {
                return .done(.failure(.bad("invalid_chunk", "A chunk size is not hexadecimal.")))
            }
        }
        start = end + 2
        scanned = start
        lineStart = start
        if size == 0 {
            state = .trailers(head)
            return .progress
        }
        if body.count + size > limit {
            return .done(.failure(Self.tooLarge(limit)))
        }
        state = .chunkData(head, remaining: size, limit: limit)
        return .progress
    }

    /// Trailer fields are validated like header fields and then dropped: no handler needs them,
    /// and merging them into the headers would let a client smuggle framing fields in late.
    mutating func parseTrailers(_ head: RequestHead) -> Step {
        // The trailer section may be just the final CRLF.
        if buffer.count - start >= 2, buffer[start] == 0x0D, buffer[start + 1] == 0x0A {
            start += 2
            return finish(head)
        }
        guard let end = findTrailerEnd() else {
            if buffer.count - start > limits.maxHeadBytes {
                return .done(.failure(ParseError(.headerFieldsTooLarge, "headers_too_large",
                    "The chunked trailers exceed \(limits.maxHeadBytes) bytes.")))
            }
            return .done(.needMore)
        }
        if end - start > limits.maxHeadBytes {
            return .done(.failure(ParseError(.headerFieldsTooLarge, "headers_too_large",
                "The chunked trailers exceed \(limits.maxHeadBytes) bytes.")))
        }
        let failure: ParseError? = buffer.withUnsafeBufferPointer { all in
            guard let lines = Self.lines(UnsafeBufferPointer(rebasing: all[start..<end])) else {
                return .bad("invalid_line_ending", "Lines must end with CRLF.")
            }
            for line in lines.dropLast() {
                if case .failure(let e) = Self.parseField(line) { return e }
            }
            return nil
        }
        if let failure { return .done(.failure(failure)) }
        start = end
        return finish(head)
    }

    mutating func findTrailerEnd() -> Int? {
        var i = max(scanned, start)
        if lineStart < start { lineStart = start }
        while i < buffer.count {
            if buffer[i] == 0x0A {
                let contentEnd = (i > lineStart && buffer[i - 1] == 0x0D) ? i - 1 : i
                if contentEnd == lineStart { return i + 1 }
                lineStart = i + 1
            }
            i += 1
        }
        scanned = i
        return nil
    }

    @inline(__always) static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case 0x30...0x39: Int(c - 0x30)
        case 0x41...0x46: Int(c - 0x41 + 10)
        case 0x61...0x66: Int(c - 0x61 + 10)
        default: nil
        }
    }
}
