import Foundation

/// A request as the Commerce simulator sees it, independent of the socket server, so the whole
/// Magento behaviour is a plain function of (state, request).
public struct CommerceSimRequest: Sendable {
    public var method: String
    /// Percent-encoded path without the query.
    public var path: String
    /// Raw query string without `?` (still encoded), as Magento's OAuth code reads it.
    public var rawQuery: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, path: String, rawQuery: String = "",
                headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method.uppercased()
        self.path = path
        self.rawQuery = rawQuery
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Query pairs decoded like PHP's `$_GET` (`+` is a space); a bare name has an empty value.
    var queryItems: [(String, String)] {
        rawQuery.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (SimPercent.decode(String(parts[0])), parts.count > 1 ? SimPercent.decode(String(parts[1])) : "")
        }
    }

    var jsonBody: Any? { try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) }
}

public struct CommerceSimResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Magento answers JSON with this exact content type.
    static func json(_ status: Int, _ value: Any) -> CommerceSimResponse {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])) ?? Data("null".utf8)
        return CommerceSimResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")],
                                   body: Array(data))
    }

    /// `{"message": template, "parameters": …}` — the raw template, as Magento sends it.
    static func magentoError(_ status: Int, _ template: String, _ parameters: Any? = nil) -> CommerceSimResponse {
        var body: [String: Any] = ["message": template]
        if let parameters { body["parameters"] = parameters }
        return json(status, body)
    }

    static let noRoute = magentoError(404, "Request does not match any route.")
}

/// PHP-compatible percent coding for the simulator (kept apart from the client's on purpose:
/// the simulator is an independent reading of Magento).
enum SimPercent {
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: out.unicodeScalars.append(UnicodeScalar(byte))
            default: out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    static func decode(_ text: String, plusIsSpace: Bool = true) -> String {
        var bytes: [UInt8] = []
        let src = Array(text.utf8)
        var i = 0
        while i < src.count {
            if src[i] == 0x25, i + 2 < src.count, let v = UInt8(String(decoding: src[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                bytes.append(v); i += 3
            } else {
                bytes.append(plusIsSpace && src[i] == 0x2B ? 0x20 : src[i]); i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
