import Foundation

/// IMS access tokens, one per tenant, shared by every worker thread of the process.
///
/// - One refresh at a time per tenant: threads that need a token while another fetches it
///   wait for that fetch instead of starting their own (Adobe may throttle token generation).
/// - Refreshed ahead of expiry: a token is replaced once less than `refreshMargin` (capped at
///   half its lifetime, so short test lifetimes work too) remains of its `expires_in`.
/// - `invalidate(tenant:token:)` after a 401 drops that token only if it is still the cached
///   one, so a burst of 401s from many threads causes a single refresh.
///
///     let cache = IMSTokenCache()                     // one per process
///     let token = try cache.token(tenant: "t1", credentials: creds, transport: transport)
public final class IMSTokenCache: @unchecked Sendable {
    struct Token {
        var value: String
        var refreshAt: Date
        var clientId: String
    }

    /// A tenant's slot: its own lock serialises fetches for that tenant only.
    final class Slot: @unchecked Sendable {
        let lock = NSLock()
        var token: Token?
    }

    public let refreshMargin: Double
    private let now: @Sendable () -> Date
    private let lock = NSLock()
    private var slots: [String: Slot] = [:]
    private var fetches = 0

    public init(refreshMargin: Double = 300, now: @escaping @Sendable () -> Date = { Date() }) {
        self.refreshMargin = refreshMargin
        self.now = now
    }

    /// Tokens fetched from IMS since start (for metrics and tests).
    public var fetchCount: Int { lock.withLock { fetches } }

    public func token(tenant: String, credentials: IMSCredentials,
                      transport: any CommerceTransport) throws(CommerceError) -> String {
        let slot = lock.withLock { () -> Slot in
            if let slot = slots[tenant] { return slot }
            let slot = Slot()
            slots[tenant] = slot
            return slot
        }
        slot.lock.lock()
        defer { slot.lock.unlock() }
        if let token = slot.token, token.clientId == credentials.clientId, now() < token.refreshAt {
            return token.value
        }
        let (value, expiresIn) = try IMSTokenFetch.fetch(credentials: credentials, transport: transport)
        lock.withLock { fetches += 1 }
        let margin = min(refreshMargin, expiresIn / 2)
        slot.token = Token(value: value, refreshAt: now().addingTimeInterval(expiresIn - margin),
                           clientId: credentials.clientId)
        return value
    }

    /// Forget `token` for `tenant` (after a 401), unless another thread already replaced it.
    public func invalidate(tenant: String, token: String) {
        guard let slot = lock.withLock({ slots[tenant] }) else { return }
        slot.lock.withLock {
            if slot.token?.value == token { slot.token = nil }
        }
    }
}
