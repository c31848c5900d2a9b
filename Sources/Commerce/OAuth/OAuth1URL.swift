/// The parts of a request URL that OAuth 1.0a signs (RFC 5849 §3.4.1.2, Laminas
/// `normaliseBaseSignatureUrl`): lower-cased scheme and host, the port only when it is not the
/// scheme's default, the path exactly as sent (empty → `/`), no query, no fragment; plus the
/// query's parameters, decoded the way Magento reads them.
struct OAuth1URL: Sendable, Equatable {
    let normalised: String
    let queryParameters: [(String, String)]

    init(_ url: String) throws(OAuth1Error) {
        guard let schemeEnd = url.range(of: "://") else { throw .invalidURL("no scheme") }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw .invalidURL("scheme \(scheme)") }
        var rest = url[schemeEnd.upperBound...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        var query = ""
        if let question = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: question)...])
            rest = rest[..<question]
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        let path = rest[authorityEnd...].isEmpty ? "/" : String(rest[authorityEnd...])
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        guard !authority.isEmpty else { throw .invalidURL("no host") }
        var host = authority.lowercased()
        // `[::1]:8080` keeps its brackets; only a colon after the last `]` starts a port.
        if let colon = host.lastIndex(of: ":"), !host[colon...].contains("]") {
            let port = host[host.index(after: colon)...]
            if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") || port.isEmpty {
                host = String(host[..<colon])
            }
        }
        normalised = scheme + "://" + host + path
        queryParameters = Self.parseQuery(query)
    }

    /// Magento keeps only pairs with exactly one `=`, url-decoded (`+` → space); keys stay flat
    /// (`searchCriteria[filter_groups][0][filters][0][field]`), and `searchCriteria=` is kept.
    static func parseQuery(_ query: String) -> [(String, String)] {
        guard !query.isEmpty else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).compactMap { pair in
            let pieces = pair.split(separator: "=", omittingEmptySubsequences: false)
            guard pieces.count == 2 else { return nil }
            return (PercentEncoding.decode(String(pieces[0])), PercentEncoding.decode(String(pieces[1])))
        }
    }

    static func == (a: OAuth1URL, b: OAuth1URL) -> Bool {
        a.normalised == b.normalised && a.queryParameters.elementsEqual(b.queryParameters, by: ==)
    }
}
