/// Where a tenant's Adobe Commerce REST API lives.
///
/// - PaaS (on-premises, Commerce on Cloud): `https://host[/prefix]`; the client adds
///   `/rest/<store_code>/V1/...`.
/// - SaaS (Commerce as a Cloud Service): `https://<region>.api.commerce.adobe.com/<tenant-id>`;
///   the client adds `/V1/...` and sends the store in a `Store` header.
public struct CommerceBaseURL: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable { case paas, saas }

    public let scheme: String
    public let host: String
    public let port: Int?
    /// No trailing slash; empty for a store at the host's root.
    public let path: String
    public let kind: Kind

    public static let saasHostSuffix = ".api.commerce.adobe.com"

    public var isInsecure: Bool { scheme == "http" }

    public var normalized: String {
        scheme + "://" + host + (port.map { ":\($0)" } ?? "") + path
    }

    public var description: String { normalized }

    public static func parse(_ input: String) throws(CommerceURLError) -> CommerceBaseURL {
        let text = input.trimmingSpaces
        guard !text.isEmpty, text.utf8.count <= 2048, let sep = text.range(of: "://") else { throw .url(.notAbsolute) }
        let scheme = text[..<sep.lowerBound].lowercased()
        guard scheme == "https" || scheme == "http" else { throw .url(.unsupportedScheme) }
        let rest = text[sep.upperBound...]
        let slash = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
        let authority: (host: String, port: Int?)
        switch URLAuthority.parse(String(rest[..<slash]), defaultPort: scheme == "https" ? 443 : 80) {
        case .success(let a): authority = a
        case .failure(let e): throw .url(e)
        }
        var path = String(rest[slash...])
        guard !path.contains("?"), !path.contains("#") else { throw .url(.queryOrFragment) }
        while path.hasSuffix("/") { path.removeLast() }
        // Store paths are plain segments; encoded bytes or dot segments would only hide a route.
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard segments.allSatisfy({ seg in
            !seg.isEmpty && seg != "." && seg != ".." && seg.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._~".contains($0)) }
        }) else { throw .invalidPath }
        if segments.contains(where: { $0.lowercased() == "rest" || $0 == "V1" }) { throw .includesAPIPath }

        let host = authority.host
        if host.hasSuffix(saasHostSuffix) {
            let region = host.dropLast(saasHostSuffix.count)
            guard !region.isEmpty, !region.contains("."), segments.count == 1 else { throw .saasNeedsTenant }
            guard scheme == "https" else { throw .url(.unsupportedScheme) }
            return CommerceBaseURL(scheme: scheme, host: host, port: authority.port, path: path, kind: .saas)
        }
        return CommerceBaseURL(scheme: scheme, host: host, port: authority.port, path: path, kind: .paas)
    }
}

public enum CommerceURLError: Error, Sendable, Equatable {
    case url(CompanyURLError)
    case invalidPath
    case includesAPIPath
    case saasNeedsTenant

    public var code: String {
        switch self {
        case .url(let e): e.code
        case .invalidPath: "invalid_path"
        case .includesAPIPath: "includes_api_path"
        case .saasNeedsTenant: "saas_tenant_missing"
        }
    }

    public var message: String {
        switch self {
        case .url(.notACompanyPath), .url(.extraPath): "The path is not a valid store path."
        case .url(.unsupportedScheme): "Must use https (or http when tls.allow_insecure_http is set)."
        case .url(.notAbsolute): "Must be an absolute URL such as https://shop.example.com or https://na1.api.commerce.adobe.com/<tenant-id>."
        case .url(let e): e.message
        case .invalidPath: "The path may only hold plain segments of letters, digits, '-', '.', '_' and '~'."
        case .includesAPIPath: "Give the store's base URL without /rest or /V1; the connector adds them."
        case .saasNeedsTenant: "A Commerce as a Cloud Service URL is https://<region>.api.commerce.adobe.com/<tenant-id>."
        }
    }
}
