/// A GP company's Service Based Architecture address, e.g.
/// `https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(Contoso%2C%20Inc.)/`.
///
/// GP publishes no shared base address, so each tenant gives the whole URL. Company names carry
/// spaces, commas, parentheses and non-ASCII letters, sent raw or percent-encoded; the parsed form
/// holds the decoded names and one normalised spelling. The host is taken only from the literal
/// authority: anything percent-encoded there, user info, or a path that decodes to extra segments
/// is rejected, so an encoded `%2F@evil.example` cannot move requests (and credentials) elsewhere.
public struct CompanyURL: Sendable, Hashable, CustomStringConvertible {
    public let scheme: String
    /// Lowercased; an IPv6 literal keeps its brackets.
    public let host: String
    /// Nil for the scheme's default port.
    public let port: Int?
    /// The GP tenant (`DefaultTenant` in single-tenant installs), decoded.
    public let gpTenant: String
    /// The company name as GP knows it, decoded.
    public let company: String

    public var isInsecure: Bool { scheme == "http" }

    /// `scheme://host[:port]` — what TLS and connection pools key on.
    public var origin: String {
        scheme + "://" + host + (port.map { ":\($0)" } ?? "")
    }

    /// The stored and displayed spelling, always ending in `/`.
    public var normalized: String {
        origin + "/GPService/Tenants(" + CompanyURL.encode(gpTenant) + ")/Companies(" + CompanyURL.encode(company) + ")/"
    }

    public var description: String { normalized }

    public static let maxLength = 2048

    public static func parse(_ input: String) throws(CompanyURLError) -> CompanyURL {
        let text = input.trimmingSpaces
        guard !text.isEmpty, text.utf8.count <= maxLength else { throw .notAbsolute }
        guard let sep = text.range(of: "://") else { throw .notAbsolute }
        let scheme = text[..<sep.lowerBound].lowercased()
        guard scheme == "https" || scheme == "http" else { throw .unsupportedScheme }
        let rest = text[sep.upperBound...]
        let slash = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
        let authority = URLAuthority.parse(String(rest[..<slash]), defaultPort: scheme == "https" ? 443 : 80)
        let (host, port) = try authority.get()
        let rawPath = rest[slash...]
        guard !rawPath.contains("?"), !rawPath.contains("#") else { throw .queryOrFragment }
        guard let path = PercentDecoding.decode(rawPath) else { throw .badPercentEncoding }
        guard !path.unicodeScalars.contains(where: \.isControlOrSeparator) else { throw .controlCharacter }
        let (tenant, company) = try parseServicePath(path)
        return CompanyURL(scheme: scheme, host: host, port: port, gpTenant: tenant, company: company)
    }

    /// `/GPService/Tenants(<t>)/Companies(<c>)[/]`, matched case-insensitively on the fixed words.
    static func parseServicePath(_ path: String) throws(CompanyURLError) -> (String, String) {
        var p = Substring(path)
        if p.hasSuffix("/") { p = p.dropLast() }
        let head = "/gpservice/tenants("
        guard p.lowercased().hasPrefix(head) else { throw .notACompanyPath }
        p = p.dropFirst(head.count)
        guard let mid = p.range(of: ")/Companies(", options: .caseInsensitive) else { throw .notACompanyPath }
        let tenant = String(p[..<mid.lowerBound])
        var company = p[mid.upperBound...]
        guard company.hasSuffix(")") else { throw .extraPath }
        company = company.dropLast()
        guard !tenant.isEmpty, !tenant.contains(where: { "/()\\".contains($0) }) else { throw .notACompanyPath }
        guard !company.contains("/") else { throw .extraPath }
        guard !company.trimmingSpaces.isEmpty, !company.contains("\\") else { throw .notACompanyPath }
        return (tenant, String(company))
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters; parentheses stay literal
    /// when balanced, as GP clients in the field send them.
    static func encode(_ name: String) -> String {
        let keepParens = parenthesesBalanced(name)
        var out = ""
        for byte in name.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80, c.isLetter || c.isNumber || "-._~".contains(c) || (keepParens && "()".contains(c)) {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    static func parenthesesBalanced(_ s: String) -> Bool {
        var depth = 0
        for c in s {
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1; if depth < 0 { return false } }
        }
        return depth == 0
    }
}

/// Why a `gp.company_url` is refused; messages never repeat the URL (it may carry user info).
public enum CompanyURLError: Error, Sendable, Equatable {
    case notAbsolute, unsupportedScheme, userInfo, encodedHost, invalidHost, invalidPort
    case queryOrFragment, badPercentEncoding, controlCharacter, notACompanyPath, extraPath

    public var code: String {
        switch self {
        case .notAbsolute: "not_absolute_url"
        case .unsupportedScheme: "unsupported_scheme"
        case .userInfo: "user_info_not_allowed"
        case .encodedHost: "encoded_host"
        case .invalidHost: "invalid_host"
        case .invalidPort: "invalid_port"
        case .queryOrFragment: "query_not_allowed"
        case .badPercentEncoding: "bad_percent_encoding"
        case .controlCharacter: "control_character"
        case .notACompanyPath: "not_a_company_url"
        case .extraPath: "path_after_company"
        }
    }

    public var message: String {
        switch self {
        case .notAbsolute: "Must be an absolute URL such as https://gp.example.com/GPService/Tenants(DefaultTenant)/Companies(Name)/."
        case .unsupportedScheme: "Must use https (or http when tls.allow_insecure_http is set)."
        case .userInfo: "Must not contain user info (user:password@); send credentials in username and password."
        case .encodedHost: "The host must be written plainly; percent-encoded characters are not allowed there."
        case .invalidHost: "The host is not a valid DNS name or IP address."
        case .invalidPort: "The port must be a number from 1 to 65535."
        case .queryOrFragment: "Must not contain a query (?) or fragment (#)."
        case .badPercentEncoding: "Contains a malformed percent-encoding or bytes that are not UTF-8."
        case .controlCharacter: "Contains control characters."
        case .notACompanyPath: "The path must be /GPService/Tenants(<tenant>)/Companies(<company name>)/."
        case .extraPath: "The URL must end at Companies(<company name>)/; a company name cannot contain '/'."
        }
    }
}
