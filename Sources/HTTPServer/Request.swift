/// One complete request as handed to a route handler.
public struct Request: Sendable {
    public var head: RequestHead
    public var body: [UInt8]
    /// Values of the `{name}` segments of the matched route, percent-decoded.
    public var parameters: [String: String]
    /// The matched route's pattern, e.g. `/v1/tenants/{tenant}`.
    public var routePattern: String
    /// The peer's IP address as text (`127.0.0.1`, `::1`); empty when unknown. Behind a proxy it
    /// is the proxy's address.
    public var remoteAddress: String

    public init(head: RequestHead, body: [UInt8] = [], parameters: [String: String] = [:], routePattern: String = "",
                remoteAddress: String = "") {
        self.head = head
        self.body = body
        self.parameters = parameters
        self.routePattern = routePattern
        self.remoteAddress = remoteAddress
    }

    public var method: HTTPMethod { head.method }
    public var headers: HTTPHeaders { head.headers }
    /// The path without the query string, still percent-encoded.
    public var path: String { String(head.path) }

    /// Query parameters, percent-decoded (`+` is a space). A name given twice keeps its last
    /// value; use `queryItems` for all of them. Malformed escapes throw 400 `invalid_query`.
    public func query() throws(HTTPError) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in try queryItems() { result[name] = value }
        return result
    }

    public func queryItems() throws(HTTPError) -> [(name: String, value: String)] {
        guard let query = head.query, !query.isEmpty else { return [] }
        var items: [(name: String, value: String)] = []
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentDecoding.decode(parts[0], plusIsSpace: true),
                  let value = PercentDecoding.decode(parts.count > 1 ? parts[1] : "", plusIsSpace: true) else {
                throw HTTPError.badRequest("invalid_query", "The query string has a malformed percent-escape.")
            }
            // No parameter of any route has a use for a NUL, and downstream (C strings, the
            // database's text values) cannot carry one: refuse it here, once, for every route.
            guard !name.utf8.contains(0), !value.utf8.contains(0) else {
                throw HTTPError.badRequest("invalid_query", "The query string contains a NUL character (%00).")
            }
            items.append((name, value))
        }
        return items
    }
}

/// Percent-decoding (RFC 3986 §2.1) that refuses malformed escapes and invalid UTF-8 instead of
/// guessing: a guess is how two components end up disagreeing about what a path means.
enum PercentDecoding {
    static func decode(_ text: Substring, plusIsSpace: Bool) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var it = text.utf8.makeIterator()
        while let c = it.next() {
            if c == 0x25 {
                guard let h = it.next(), let l = it.next(),
                      let hv = RequestParser.hexValue(h), let lv = RequestParser.hexValue(l) else { return nil }
                bytes.append(UInt8(hv * 16 + lv))
            } else if c == 0x2B && plusIsSpace {
                bytes.append(0x20)
            } else {
                bytes.append(c)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
