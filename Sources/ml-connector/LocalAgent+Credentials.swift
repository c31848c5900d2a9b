import Connector
import Foundation
import GP
import HTTPClient

/// Which GP credentials a call uses: the tenant's `gp.agent_credentials` (sent in each heartbeat
/// reply) decides. `server` → the stored ones from the latest reply; `agent` (or a server that
/// does not say) → this process's own. No usable credentials is an answer, not a crash: every
/// call and the agent's own ping report `noCredentialsMessage`.
extension LocalAgent {
    static let noCredentialsMessage = "This agent has no GP credentials: give --gp-username/--gp-password "
        + "(or MLC_GP_USERNAME/MLC_GP_PASSWORD, or --gp-credentials-file), or set the tenant's gp.agent_credentials to server."

    /// User and password for GP (nil user: Negotiate with the machine's Kerberos ticket).
    struct GPLogin {
        var username: String?
        var password: String?
    }

    /// Why a call has no credentials (sent to the server as `AgentCallError.noCredentials`).
    struct NoGPLogin: Error {
        var detail: String
        var callError: AgentCallError { AgentCallError(code: AgentCallError.noCredentials, detail: detail) }
    }

    /// Whether this process was given credentials of its own (or may use a Kerberos ticket).
    var hasLocalCredentials: Bool {
        !(configuration.gpUsername ?? "").isEmpty || configuration.gpAuth == "negotiate"
    }

    /// The credentials to call GP with under `reply`, or why there are none.
    func login(for reply: AgentHeartbeatReply?) -> Result<GPLogin, NoGPLogin> {
        let credentials = reply?.credentials ?? .agent
        switch credentials.source {
        case .agent:
            guard hasLocalCredentials else {
                return .failure(NoGPLogin(detail: Self.noCredentialsMessage))
            }
            return .success(GPLogin(username: configuration.gpUsername, password: configuration.gpPassword))
        case .server:
            // The server withholds them from an agent on plain http to another machine; check
            // here too, so a password that crossed such a channel is never used.
            if configuration.insecureTransport {
                return .failure(NoGPLogin(detail:
                    "The tenant's gp.agent_credentials is server, but this agent reaches the server over plain http to another "
                        + "machine, so it does not take GP credentials from it: use an https:// --server URL, or give the agent "
                        + "its own credentials and set gp.agent_credentials to agent."))
            }
            guard let user = credentials.username, !user.isEmpty, let password = credentials.password else {
                return .failure(NoGPLogin(detail:
                    credentials.withheld ?? "The server sent no GP credentials although the tenant's gp.agent_credentials is server."))
            }
            if hasLocalCredentials { warnLocalCredentialsUnused() }
            return .success(GPLogin(username: user, password: password))
        }
    }

    /// Logs once that the tenant's setting overrides this agent's own credentials.
    func warnLocalCredentialsUnused() {
        condition.lock()
        let first = !warnedLocalCredentialsUnused
        warnedLocalCredentialsUnused = true
        condition.unlock()
        if first {
            logger.warning("the tenant's gp.agent_credentials is server: this agent uses the GP credentials stored on the server, not its own")
        }
    }

    func gpTransport(auth: String, login: GPLogin) -> GPDirectTransport {
        let user = login.username ?? ""
        let password = login.password ?? ""
        let method: HTTPAuth = switch auth {
        case "basic": .basic(user: user, password: password)
        case "negotiate": .negotiate(user: user, password: password)
        default: .ntlm(user: user, password: password)
        }
        return GPDirectTransport(auth: method, tls: configuration.gpTLS, maxResponseBytes: configuration.maxResultBytes)
    }
}
