/// Serialises a response head (and body) to bytes. The server owns `Date`, `Content-Length`,
/// `Connection` and `Transfer-Encoding`: handler values for them are dropped so a response can
/// never carry two conflicting framings.
enum ResponseEncoding {
    static let crlf: [UInt8] = [0x0D, 0x0A]

    static func head(_ response: Response, keepAlive: Bool, version: HTTPVersion, date: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(160 + response.headers.count * 40)
        out.append(contentsOf: "HTTP/1.1 \(response.status.code) \(response.status.reasonPhrase)\r\n".utf8)
        out.append(contentsOf: date)
        for (name, value) in response.headers where !isServerOwned(name) && isSafe(name) && isSafe(value) {
            out.append(contentsOf: name.utf8)
            out.append(0x3A)
            out.append(0x20)
            out.append(contentsOf: value.utf8)
            out.append(contentsOf: crlf)
        }
        if !response.status.forbidsBody {
            out.append(contentsOf: "Content-Length: \(response.body.count)\r\n".utf8)
        }
        if !keepAlive {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        } else if version == .http1_0 {
            out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        out.append(contentsOf: crlf)
        return out
    }

    static func encode(_ response: Response, keepAlive: Bool, version: HTTPVersion, includeBody: Bool,
                       date: [UInt8] = DateHeader.line()) -> [UInt8] {
        var out = head(response, keepAlive: keepAlive, version: version, date: date)
        if includeBody && !response.status.forbidsBody { out.append(contentsOf: response.body) }
        return out
    }

    /// A CR or LF in a handler-supplied header would let a client-controlled value split the
    /// response; such a field is dropped rather than sent.
    static func isSafe(_ text: String) -> Bool {
        !text.utf8.contains { $0 == 0x0D || $0 == 0x0A }
    }

    static func isServerOwned(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: HTTPHeaders.equalsIgnoringCase(name, "date")
        case 10: HTTPHeaders.equalsIgnoringCase(name, "connection")
        case 14: HTTPHeaders.equalsIgnoringCase(name, "content-length")
        case 17: HTTPHeaders.equalsIgnoringCase(name, "transfer-encoding")
        default: false
        }
    }
}
