import Connector
import HTTPServer

/// The agent endpoints' side of authorization: only an agent token gets through, and it names
/// the one tenant whose calls the agent may see.
extension Authenticator {
    /// The tenant of an agent token. 401 as on the control plane; 403 for an admin or tenant token
    /// (the agent endpoints are for agents only, so a leaked dashboard token cannot drain calls).
    public func agentTenant(_ request: Request) throws(HTTPError) -> TenantID {
        let token = try authenticatedToken(request, missing: "The agent endpoints need an Authorization: Bearer <agent token> header.")
        guard case .agent(let tenant) = token.scope else {
            throw HTTPError(status: .forbidden, code: "forbidden", message: "The agent endpoints need an agent token.")
        }
        return tenant
    }
}
