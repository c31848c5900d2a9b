/// The authority part of an absolute URL (`scheme://user:password@host:port/...`), parsed only as
/// far as error messages and secret scrubbing need. libcurl does the real URL parsing.
struct URLAuthority: Hashable {
    var scheme: String
    var user: String?
    var password: String?
    var host: String
    /// The explicit port, else the scheme's default (80, 443), else nil.
    var port: Int?

    init?(url: String) {
        guard let schemeEnd = url.firstRange(of: "://") else { return nil }
        scheme = url[..<schemeEnd.lowerBound].lowercased()
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { !"/?#".contains($0) }
        var hostPort = Substring(authority)
        if let at = authority.lastIndex(of: "@") {
            let userinfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
            if let colon = userinfo.firstIndex(of: ":") {
                user = String(userinfo[..<colon])
                password = String(userinfo[userinfo.index(after: colon)...])
            } else {
                user = String(userinfo)
            }
        }
        var portText: Substring?
        if hostPort.hasPrefix("["), let close = hostPort.firstIndex(of: "]") {
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            portText = hostPort[hostPort.index(after: colon)...]
        } else {
            host = String(hostPort)
        }
        if let portText, let port = Int(portText) {
            self.port = port
        } else {
            switch scheme {
            case "http": port = 80
            case "https": port = 443
            default: port = nil
            }
        }
    }

    /// `host:port` for messages (IPv6 hosts in brackets).
    var hostPort: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        guard let port else { return shownHost }
        return "\(shownHost):\(port)"
    }
}
