import Foundation

/// What an API token may reach: the whole control plane, one tenant's resources, or the agent
/// endpoints of one tenant.
public enum TokenScope: Sendable, Hashable, CustomStringConvertible {
    case admin
    case tenant(TenantID)
    case agent(TenantID)

    public var kind: String {
        switch self {
        case .admin: "admin"
        case .tenant: "tenant"
        case .agent: "agent"
        }
    }

    public var tenant: TenantID? {
        switch self {
        case .admin: nil
        case .tenant(let t), .agent(let t): t
        }
    }

    public init?(kind: String, tenant: TenantID?) {
        switch (kind, tenant) {
        case ("admin", nil): self = .admin
        case ("tenant", .some(let t)): self = .tenant(t)
        case ("agent", .some(let t)): self = .agent(t)
        default: return nil
        }
    }

    public var description: String { tenant.map { "\(kind):\($0)" } ?? kind }
}

/// A stored token's public facts (never the token or its hash).
public struct APIToken: Sendable, Equatable {
    public var id: String
    public var scope: TokenScope
    public var name: String
    public var createdAt: Date
    public var lastUsedAt: Date?
}

/// A token just issued: the bearer string is shown to the caller once and never stored.
public struct IssuedToken: Sendable, CustomStringConvertible {
    public var token: APIToken
    public var bearer: String

    public var description: String { "IssuedToken(\(token.id), \(token.scope))" }
}

/// The bearer format `mlc_<id>_<secret>`: a 16-hex-digit public id to look the token up by, and
/// 32 random bytes (base64url). Parsing is pure and strict so junk never reaches the database.
public struct BearerToken: Sendable, Equatable {
    public let id: String
    public let text: String

    public static let prefix = "mlc_"

    public init?(_ text: String) {
        let parts = text.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard text.utf8.count == 4 + 16 + 1 + 43, parts.count == 3, parts[0] == "mlc",
              parts[1].utf8.count == 16, parts[1].allSatisfy({ $0.isHexDigit && !$0.isUppercase }),
              parts[2].utf8.count == 43, parts[2].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return nil }
        id = String(parts[1])
        self.text = text
    }
}
