import Connector

/// Who is calling, after the bearer token checked out.
public struct Caller: Sendable, Equatable {
    public let token: APIToken

    public var isAdmin: Bool { token.scope == .admin }

    /// True when this caller may see `tenant`'s resources on the control plane.
    public func canSee(_ tenant: TenantID) -> Bool {
        switch token.scope {
        case .admin: true
        case .tenant(let own): own == tenant
        case .agent: false
        }
    }
}
