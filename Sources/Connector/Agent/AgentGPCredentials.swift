/// The `credentials` of a heartbeat reply: which GP credentials the agent uses. `source: agent`
/// carries nothing (the agent's own flags, environment or file); `source: server` carries the
/// tenant's stored user name and password, opened from the vault for that tenant's authenticated
/// agent only. A `server` reply without a password means the server withheld it (the agent's
/// channel is plain http to another machine); `withheld` says why.
///
/// Printing one (`description`, `debugDescription`, `dump`) never shows the password.
public struct AgentGPCredentials: Sendable, Codable, Equatable {
    public enum Source: String, Sendable, Codable {
        case agent, server
    }

    public var source: Source
    public var username: String?
    public var password: String?
    /// Why a `server` reply carries no credentials; nil otherwise.
    public var withheld: String?

    public init(source: Source, username: String? = nil, password: String? = nil, withheld: String? = nil) {
        self.source = source
        self.username = username
        self.password = password
        self.withheld = withheld
    }

    public static let agent = AgentGPCredentials(source: .agent)
}

extension AgentGPCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        var parts = ["source: \(source.rawValue)"]
        if let username { parts.append("username: \(username)") }
        if password != nil { parts.append("password: <redacted>") }
        if let withheld { parts.append("withheld: \(withheld)") }
        return "AgentGPCredentials(\(parts.joined(separator: ", ")))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["source": source, "username": username as Any,
                                "password": password == nil ? "nil" : "<redacted>", "withheld": withheld as Any])
    }
}
