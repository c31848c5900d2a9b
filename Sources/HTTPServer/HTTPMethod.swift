/// The request methods the server routes. A syntactically valid method outside this set is
/// answered with `501 Not Implemented` by the parser, as RFC 9110 §9.1 asks.
public enum HTTPMethod: String, Sendable, Hashable, CaseIterable, Comparable {
    case GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS

    public static func < (lhs: HTTPMethod, rhs: HTTPMethod) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// Maps the method token bytes without allocating a String (this runs for every request).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> HTTPMethod? {
        switch bytes.count {
        case 3:
            if bytes[0] == 0x47, bytes[1] == 0x45, bytes[2] == 0x54 { return .GET }
            if bytes[0] == 0x50, bytes[1] == 0x55, bytes[2] == 0x54 { return .PUT }
        case 4:
            if bytes[0] == 0x48, bytes[1] == 0x45, bytes[2] == 0x41, bytes[3] == 0x44 { return .HEAD }
            if bytes[0] == 0x50, bytes[1] == 0x4F, bytes[2] == 0x53, bytes[3] == 0x54 { return .POST }
        default:
            break
        }
        return HTTPMethod(rawValue: String(decoding: bytes, as: UTF8.self))
    }
}

/// The protocol versions the server speaks.
public enum HTTPVersion: Sendable, Hashable {
    case http1_0, http1_1

    var text: String { self == .http1_0 ? "HTTP/1.0" : "HTTP/1.1" }
}
