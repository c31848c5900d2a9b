import Connector
import HTTPServer

/// The agent endpoints' side of authorization: only an agent token gets through, and it names
/// the one tenant whose calls the agent may see.
extension Authenticator {
    /// The tenant of an agent token. 401 as on the control plane; 403 for an admin or tenant token
    /// (the agent endpoints are for agents only, so a leaked dashboard token cannot drain calls).
    public func agentTenant(_ request: Request) throws(HTTPError) -> TenantID {
        let address = clientAddress(request)
        if let wait = limiter.blocked(address) {
            refusals.add(1, ordering: .relaxed)
            throw HTTPError(status: .tooManyRequests, code: "too_many_failed_attempts",
                            message: "Too many failed authentication attempts from this address; try again later.",
                            headers: ["Retry-After": String(AuthFailureLimiter.retryAfterSeconds(wait))])
        }
        guard let header = request.headers["Authorization"] else {
            throw Self.unauthorized("missing_token", "The agent endpoints need an Authorization: Bearer <agent token> header.")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        let token: APIToken?
        if parts.count == 2, parts[0].lowercased() == "bearer" {
            do { token = try tokens.authenticate(String(parts[1]).trimmingCharacters(in: .whitespaces)) } catch {
                throw HTTPError(status: .serviceUnavailable, code: error.code, message: "Tokens cannot be checked right now; try again shortly.",
                                headers: ["Retry-After": "1"])
            }
        } else {
            token = nil
        }
        guard let token else {
            failures.add(1, ordering: .relaxed)
            limiter.recordFailure(address)
            throw Self.unauthorized("invalid_token", "The token is not valid (unknown, revoked or mistyped).")
        }
        guard case .agent(let tenant) = token.scope else {
            throw HTTPError(status: .forbidden, code: "forbidden", message: "The agent endpoints need an agent token.")
        }
        return tenant
    }
}
