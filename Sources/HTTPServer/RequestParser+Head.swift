extension RequestParser {
    mutating func parseHeadIfComplete() -> Step {
        guard let end = findEndOfHead() else {
            if buffer.count - start > limits.maxHeadBytes {
                return .done(.failure(ParseError(.headerFieldsTooLarge, "headers_too_large",
                    "The request line and headers exceed \(limits.maxHeadBytes) bytes.")))
            }
            if start > 32 * 1024 { compact() }
            return .done(.needMore)
        }
        if end < 0 {
            return .done(.failure(.bad("invalid_characters", "The request head contains control or non-ASCII bytes.")))
        }
        if end - start > limits.maxHeadBytes {
            return .done(.failure(ParseError(.headerFieldsTooLarge, "headers_too_large",
                "The request line and headers exceed \(limits.maxHeadBytes) bytes.")))
        }
        let result: Result<RequestHead, ParseError> = buffer.withUnsafeBufferPointer { all in
            Self.parseHead(UnsafeBufferPointer(rebasing: all[start..<end]), limits: limits)
        }
        start = end
        scanned = end
        lineStart = end
        switch result {
        case .failure(let error):
            return .done(.failure(error))
        case .success(let head):
            if head.isChunked {
                state = .chunkSize(head, limit: bodyLimit(head))
                return .progress
            }
            let length = head.contentLength ?? 0
            if length == 0 { return finish(head) }
            let limit = bodyLimit(head)
            if length > limit {
                return .done(.failure(Self.tooLarge(limit)))
            }
            body.reserveCapacity(min(length, 64 * 1024)) // a declared length is only a claim
            state = .fixedBody(head, remaining: length, limit: limit)
            return .progress
        }
    }

    static func tooLarge(_ limit: Int) -> ParseError {
        ParseError(.payloadTooLarge, "body_too_large", "The request body exceeds \(limit) bytes.")
    }

    /// Splits the head (ending with its empty line) into lines, each of which must end in CRLF.
    static func lines(_ head: UnsafeBufferPointer<UInt8>) -> [UnsafeBufferPointer<UInt8>]? {
        var result: [UnsafeBufferPointer<UInt8>] = []
        var lineStart = 0
        for i in 0..<head.count where head[i] == 0x0A {
            guard i > lineStart, head[i - 1] == 0x0D else { return nil }
            result.append(UnsafeBufferPointer(rebasing: head[lineStart..<(i - 1)]))
            lineStart = i + 1
        }
        return result
    }

    static func parseHead(_ head: UnsafeBufferPointer<UInt8>, limits: Limits) -> Result<RequestHead, ParseError> {
        guard let lines = lines(head), lines.count >= 2, lines.last!.isEmpty else {
            return .failure(.bad("invalid_line_ending", "Lines must end with CRLF."))
        }
        if lines.count - 2 > limits.maxHeaderCount {
            return .failure(ParseError(.headerFieldsTooLarge, "too_many_headers",
                "The request has more than \(limits.maxHeaderCount) header fields."))
        }
        let requestLine: (HTTPMethod, String, HTTPVersion)
        switch parseRequestLine(lines[0]) {
        case .failure(let e): return .failure(e)
        case .success(let r): requestLine = r
        }
        var headers: [HTTPHeaders.Field] = []
        headers.reserveCapacity(lines.count - 2)
        for line in lines[1..<(lines.count - 1)] {
            switch parseField(line) {
            case .failure(let e): return .failure(e)
            case .success(let field): headers.append(field)
            }
        }
        return interpret(method: requestLine.0, target: requestLine.1, version: requestLine.2,
                         headers: HTTPHeaders(headers))
    }

    static func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) -> Result<(HTTPMethod, String, HTTPVersion), ParseError> {
        let bad = ParseError.bad("invalid_request_line", "The request line is not `METHOD target HTTP/1.x`.")
        guard let sp1 = line.firstIndex(of: 0x20) else { return .failure(bad) }
        guard let sp2 = line[(sp1 + 1)...].firstIndex(of: 0x20) else { return .failure(bad) }
        let methodBytes = UnsafeBufferPointer(rebasing: line[0..<sp1])
        let targetBytes = UnsafeBufferPointer(rebasing: line[(sp1 + 1)..<sp2])
        let versionBytes = UnsafeBufferPointer(rebasing: line[(sp2 + 1)...])
        guard !methodBytes.isEmpty, methodBytes.allSatisfy(isTokenByte) else { return .failure(bad) }
        guard !targetBytes.isEmpty, targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return .failure(bad) }

        let version: HTTPVersion
        if versionBytes.elementsEqual("HTTP/1.1".utf8) {
            version = .http1_1
        } else if versionBytes.elementsEqual("HTTP/1.0".utf8) {
            version = .http1_0
        } else if versionBytes.count == 8, versionBytes.starts(with: "HTTP/".utf8),
                  isDigit(versionBytes[5]), versionBytes[6] == 0x2E, isDigit(versionBytes[7]) {
            return .failure(ParseError(.httpVersionNotSupported, "http_version_not_supported",
                "Only HTTP/1.0 and HTTP/1.1 are supported."))
        } else {
            return .failure(bad)
        }
        guard let method = HTTPMethod.parse(methodBytes) else {
            return .failure(ParseError(.notImplemented, "method_not_implemented", "The request method is not supported."))
        }
        var target = String(decoding: targetBytes, as: UTF8.self)
        if target.first != "/" {
            // Absolute form (RFC 9112 §3.2.2) must be accepted; routing uses only its path.
            guard let path = absoluteFormPath(target) else {
                return .failure(.bad("invalid_request_target", "The request target must be a path starting with `/`."))
            }
            target = path
        }
        return .success((method, target, version))
    }

    static func absoluteFormPath(_ target: String) -> String? {
        let lower = target.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return nil }
        let afterScheme = target[target.index(target.startIndex, offsetBy: lower.hasPrefix("http://") ? 7 : 8)...]
        guard let slash = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
        let rest = afterScheme[slash...]
        return rest.first == "?" ? "/" + rest : String(rest)
    }

    static func parseField(_ line: UnsafeBufferPointer<UInt8>) -> Result<HTTPHeaders.Field, ParseError> {
        if let first = line.first, first == 0x20 || first == 0x09 {
            return .failure(.bad("obsolete_line_folding", "Header values folded over several lines are not accepted."))
        }
        guard let colon = line.firstIndex(of: 0x3A) else {
            return .failure(.bad("invalid_header", "A header line has no colon."))
        }
        let name = UnsafeBufferPointer(rebasing: line[0..<colon])
        guard !name.isEmpty, name.allSatisfy(isTokenByte) else {
            return .failure(.bad("invalid_header_name", "A header name contains characters that are not allowed."))
        }
        var lo = colon + 1, hi = line.count
        while lo < hi, line[lo] == 0x20 || line[lo] == 0x09 { lo += 1 }
        while hi > lo, line[hi - 1] == 0x20 || line[hi - 1] == 0x09 { hi -= 1 }
        let value = UnsafeBufferPointer(rebasing: line[lo..<hi])
        guard value.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 }) else {
            return .failure(.bad("invalid_header_value", "A header value contains control or non-ASCII bytes."))
        }
        return .success((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
    }

    /// Applies the message-framing rules of RFC 9112 §6 to the parsed fields.
    static func interpret(method: HTTPMethod, target: String, version: HTTPVersion,
                          headers: HTTPHeaders) -> Result<RequestHead, ParseError> {
        var contentLength: Int?
        var transferEncodings: [String] = []
        var hostCount = 0
        var connectionTokens: [String] = []
        var expectations: [String] = []
        for (name, value) in headers {
            switch name.count {
            case 4 where HTTPHeaders.equalsIgnoringCase(name, "host"):
                hostCount += 1
            case 6 where HTTPHeaders.equalsIgnoringCase(name, "expect"):
                expectations.append(value.lowercased())
            case 10 where HTTPHeaders.equalsIgnoringCase(name, "connection"):
                connectionTokens += value.lowercased().split(separator: ",").map { $0.trimmingSpaces }
            case 14 where HTTPHeaders.equalsIgnoringCase(name, "content-length"):
                guard contentLength == nil else {
                    return .failure(.bad("duplicate_content_length", "Content-Length appears more than once."))
                }
                guard !value.isEmpty, value.utf8.count <= 15, value.utf8.allSatisfy(isDigit), let n = Int(value) else {
                    return .failure(.bad("invalid_content_length", "Content-Length is not a decimal number."))
                }
                contentLength = n
            case 17 where HTTPHeaders.equalsIgnoringCase(name, "transfer-encoding"):
                transferEncodings += value.lowercased().split(separator: ",").map { $0.trimmingSpaces }
            default:
                break
            }
        }
        if hostCount > 1 || (version == .http1_1 && hostCount == 0) {
            return .failure(.bad("invalid_host", "An HTTP/1.1 request needs exactly one Host header."))
        }
        var chunked = false
        if !transferEncodings.isEmpty {
            guard contentLength == nil else {
                return .failure(.bad("conflicting_framing", "Content-Length and Transfer-Encoding cannot both be sent."))
            }
            guard version == .http1_1 else {
                return .failure(.bad("invalid_transfer_encoding", "Transfer-Encoding is not allowed in HTTP/1.0."))
            }
            guard transferEncodings.last == "chunked" else {
                return .failure(.bad("invalid_transfer_encoding", "The final transfer coding must be chunked."))
            }
            guard transferEncodings.count == 1 else {
                return .failure(ParseError(.notImplemented, "unsupported_transfer_encoding",
                    "Only the chunked transfer coding is supported."))
            }
            chunked = true
        }
        var expectsContinue = false
        for expectation in expectations {
            guard expectation == "100-continue" else {
                return .failure(ParseError(.expectationFailed, "expectation_failed", "Only `Expect: 100-continue` is supported."))
            }
            expectsContinue = true
        }
        let keepAlive = version == .http1_1
            ? !connectionTokens.contains("close")
            : connectionTokens.contains("keep-alive") && !connectionTokens.contains("close")
        return .success(RequestHead(method: method, target: target, version: version, headers: headers,
                                    contentLength: contentLength, isChunked: chunked,
                                    expectsContinue: expectsContinue && (chunked || (contentLength ?? 0) > 0),
                                    keepAlive: keepAlive))
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// tchar of RFC 9110 §5.6.2.
    @inline(__always) static func isTokenByte(_ c: UInt8) -> Bool {
        switch c {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: true
        default: false
        }
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
