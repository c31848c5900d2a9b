import Foundation

/// One GP company as reached over SBA, taken from the tenant's full company URL, e.g.
/// `https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(Contoso%2C%20Inc.)/`.
///
/// It keeps the decoded tenant and company names and rebuilds every resource URL from them, so a
/// name with spaces, commas, parentheses or non-ASCII letters is encoded one way, here.
public struct GPCompany: Sendable, Hashable {
    /// `https://host:port` (no trailing slash).
    public let origin: String
    /// The path before `Tenants(…)`, e.g. `/GPService`.
    public let servicePath: String
    /// Decoded SBA tenant name, e.g. `DefaultTenant`.
    public let tenant: String
    /// Decoded company name, e.g. `Contoso, Inc.`.
    public let name: String

    public init(origin: String, servicePath: String = "/GPService", tenant: String = "DefaultTenant", name: String) {
        self.origin = origin.hasSuffix("/") ? String(origin.dropLast()) : origin
        self.servicePath = servicePath
        self.tenant = tenant
        self.name = name
    }

    /// Parses a full company URL. Parentheses around the tenant and company may be literal or
    /// `%28`/`%29`; the company name may itself contain parentheses (the segment's last `)` closes
    /// it). Anything after the company segment is ignored.
    public init(url text: String) throws(GPError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let schemeEnd = trimmed.range(of: "://") else {
            throw .invalidCompanyURL("it has no scheme; expected https://host/GPService/Tenants(…)/Companies(…)/")
        }
        let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "https" || scheme == "http" else {
            throw .invalidCompanyURL("scheme \(scheme) is not http or https")
        }
        let afterScheme = trimmed[schemeEnd.upperBound...]
        let hostEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? afterScheme.endIndex
        let host = afterScheme[..<hostEnd]
        guard !host.isEmpty, !host.contains("@") else {
            throw .invalidCompanyURL("the host is missing or carries credentials (put credentials in the tenant's GP settings)")
        }
        let path = afterScheme[hostEnd...].prefix { $0 != "?" && $0 != "#" }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)

        var prefix: [String] = []
        var tenant: String?
        var company: String?
        for segment in segments {
            if tenant == nil, let t = GPCompany.parenthesized(segment, label: "Tenants") {
                tenant = t
            } else if tenant != nil, company == nil, let c = GPCompany.parenthesized(segment, label: "Companies") {
                company = c
                break
            } else if tenant == nil {
                prefix.append(segment)
            } else {
                break
            }
        }
        guard let tenant, !tenant.isEmpty else {
            throw .invalidCompanyURL("no Tenants(…) segment; expected …/GPService/Tenants(DefaultTenant)/Companies(…)/")
        }
        guard let company, !company.isEmpty else {
            throw .invalidCompanyURL("no Companies(…) segment after Tenants(\(tenant))")
        }
        self.origin = scheme + "://" + host
        self.servicePath = prefix.isEmpty ? "" : "/" + prefix.joined(separator: "/")
        self.tenant = tenant
        self.name = company
    }

    /// The decoded name inside `Label(…)` or `Label%28…%29`, or nil if the segment is not one.
    static func parenthesized(_ segment: String, label: String) -> String? {
        guard let decoded = segment.removingPercentEncoding ?? Optional(segment),
              decoded.count > label.count + 2,
              decoded.lowercased().hasPrefix(label.lowercased() + "("),
              decoded.hasSuffix(")") else { return nil }
        return String(decoded.dropFirst(label.count + 1).dropLast())
    }

    /// `…/Tenants(X)/Companies(Y)` encoded, no trailing slash.
    public func companyURL(literalCommas: Bool = false) -> String {
        origin + servicePath
            + "/Tenants(" + GPURLEncoding.encode(tenant, literalCommas: literalCommas) + ")"
            + "/Companies(" + GPURLEncoding.encode(name, literalCommas: literalCommas) + ")"
    }

    /// The help page `…/Tenants(X)/help`, the one documented discovery surface.
    public func helpURL() -> String {
        origin + servicePath + "/Tenants(" + GPURLEncoding.encode(tenant, literalCommas: false) + ")/help"
    }

    /// A resource URL: `<company>/<path>[(<k1>;<k2>)][.json][?query]`.
    ///
    /// Each key part is encoded on its own, so a `;` or `)` inside a key can never be read as a
    /// separator; `query` values are encoded as query components.
    public func resourceURL(_ path: String, keys: [String] = [], query: [(String, String)] = [],
                            settings: GPSettings = GPSettings()) -> String {
        var url = companyURL(literalCommas: settings.literalCommas) + "/"
            + path.split(separator: "/").map { GPURLEncoding.encode(String($0), literalCommas: settings.literalCommas) }
                .joined(separator: "/")
        if !keys.isEmpty {
            url += "(" + keys.map { GPURLEncoding.encode($0, literalCommas: settings.literalCommas) }
                .joined(separator: ";") + ")"
        }
        if settings.jsonSuffix { url += ".json" }
        if !query.isEmpty {
            url += "?" + query.map { GPURLEncoding.encodeQuery($0.0) + "=" + GPURLEncoding.encodeQuery($0.1) }
                .joined(separator: "&")
        }
        return url
    }
}

/// Percent-encoding of SBA name and key segments.
public enum GPURLEncoding {
    /// Keeps RFC 3986 unreserved characters (and `,` when `literalCommas`); everything else,
    /// including space, `(`, `)`, `;`, `/`, `%` and every non-ASCII byte of the UTF-8 form, is
    /// percent-encoded with upper-case hex.
    public static func encode(_ text: String, literalCommas: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || (literalCommas && byte == UInt8(ascii: ",")) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// A query name or value: like `encode`, commas always encoded.
    public static func encodeQuery(_ text: String) -> String {
        encode(text, literalCommas: false)
    }

    static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "~")
    }
}
