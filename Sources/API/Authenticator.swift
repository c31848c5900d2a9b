import Connector
import HTTPServer
import Synchronization

/// Checks `Authorization: Bearer <token>` on control-plane requests and decides 401 / 403 / 404:
///
/// - 401: no token, or one that is malformed, unknown or revoked (each presented bad token
///   counts against the client address; too many → 429 with `Retry-After`);
/// - 403: a valid token of the wrong kind (an agent token, or a tenant token on an admin route);
/// - 404: a tenant token asking for another tenant, exactly as if that tenant did not exist.
public final class Authenticator: Sendable {
    let tokens: TokenStore
    let limiter: AuthFailureLimiter
    let clientAddress: @Sendable (Request) -> String
    let failures = Atomic<Int>(0)
    let refusals = Atomic<Int>(0)

    public init(tokens: TokenStore, limiter: AuthFailureLimiter, clientAddress: @escaping @Sendable (Request) -> String) {
        self.tokens = tokens
        self.limiter = limiter
        self.clientAddress = clientAddress
    }

    /// Failed authentications since start (for /metrics).
    public var failureCount: Int { failures.load(ordering: .relaxed) }
    /// Requests refused with 429 since start.
    public var rateLimitedCount: Int { refusals.load(ordering: .relaxed) }

    /// The caller of a control-plane route: an admin or tenant token.
    public func controlPlaneCaller(_ request: Request) throws(HTTPError) -> Caller {
        let token = try authenticatedToken(request, missing: "This endpoint needs an Authorization: Bearer <token> header.")
        if case .agent = token.scope {
            throw HTTPError(status: .forbidden, code: "forbidden", message: "Agent tokens may only call the agent endpoints.")
        }
        return Caller(token: token)
    }

    /// The token of `Authorization: Bearer <token>`, for any route: 429 while the client address
    /// is blocked, 401 (counted against the address) when missing, malformed, unknown or revoked,
    /// 503 when tokens cannot be checked. What the token may do is the caller's decision.
    func authenticatedToken(_ request: Request, missing: String) throws(HTTPError) -> APIToken {
        let address = clientAddress(request)
        if let wait = limiter.blocked(address) {
            refusals.add(1, ordering: .relaxed)
            throw HTTPError(status: .tooManyRequests, code: "too_many_failed_attempts",
                            message: "Too many failed authentication attempts from this address; try again later.",
                            headers: ["Retry-After": String(AuthFailureLimiter.retryAfterSeconds(wait))])
        }
        guard let header = request.headers["Authorization"] else {
            throw Self.unauthorized("missing_token", missing)
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            fail(address)
            throw Self.unauthorized("invalid_token", "The Authorization header must be: Bearer <token>.")
        }
        let token: APIToken?
        do { token = try tokens.authenticate(String(parts[1]).trimmingCharacters(in: .whitespaces)) } catch {
            throw HTTPError(status: .serviceUnavailable, code: error.code, message: "Tokens cannot be checked right now; try again shortly.",
                            headers: ["Retry-After": "1"])
        }
        guard let token else {
            fail(address)
            throw Self.unauthorized("invalid_token", "The token is not valid (unknown, revoked or mistyped).")
        }
        return token
    }

    public func requireAdmin(_ caller: Caller) throws(HTTPError) {
        guard caller.isAdmin else {
            throw HTTPError(status: .forbidden, code: "forbidden", message: "This endpoint needs an admin token.")
        }
    }

    /// The `{tenant}` of the route, if this caller may see it; else 404 as if it did not exist.
    public func tenant(_ request: Request, for caller: Caller) throws(HTTPError) -> TenantID {
        let raw = request.parameters["tenant"] ?? ""
        guard let id = TenantID(raw) else {
            throw HTTPError.badRequest("invalid_tenant_id", "A tenant id is a slug (lowercase letters, digits, inner hyphens) or a UUID.")
        }
        guard caller.canSee(id) else { throw APIErrors.tenantNotFound(id) }
        return id
    }

    private func fail(_ address: String) {
        failures.add(1, ordering: .relaxed)
        limiter.recordFailure(address)
    }

    static func unauthorized(_ code: String, _ message: String) -> HTTPError {
        HTTPError(status: .unauthorized, code: code, message: message,
                  headers: ["WWW-Authenticate": "Bearer realm=\"ml-connector\""])
    }
}
