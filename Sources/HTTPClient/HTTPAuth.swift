/// How a request authenticates. Credentials go to libcurl through `CURLOPT_USERNAME` /
/// `CURLOPT_PASSWORD` (Basic, NTLM, Negotiate) or the `Authorization` header (bearer), never
/// through the URL, and are never printed: `description` redacts them.
public enum HTTPAuth: Sendable, Hashable, CustomStringConvertible {
    case none
    /// Preemptive Basic authentication (sent with the first request).
    case basic(user: String, password: String)
    /// Windows NTLM (`CURLAUTH_NTLM`). `user` is `DOMAIN\user`. The handshake takes three legs on
    /// one keep-alive connection, and IIS then treats that connection as authenticated: this is
    /// why an `HTTPClient` keeps its easy handle (and so its connections) between requests.
    case ntlm(user: String, password: String)
    /// SPNEGO/Negotiate (`CURLAUTH_NEGOTIATE`). libcurl is built with GSS-API here, so this uses a
    /// Kerberos ticket from the process's credential cache (`kinit`, `KRB5CCNAME`); `user` and
    /// `password` are handed to libcurl but GSS-API takes the identity from the ticket. Without a
    /// ticket the server's 401 comes back as the response.
    case negotiate(user: String, password: String)
    /// `Authorization: Bearer <token>`.
    case bearer(token: String)

    /// The secret this auth carries, used to scrub error messages defensively.
    var secret: String? {
        switch self {
        case .none: nil
        case .basic(_, let password), .ntlm(_, let password), .negotiate(_, let password): password
        case .bearer(let token): token
        }
    }

    public var description: String {
        switch self {
        case .none: "none"
        case .basic(let user, _): "basic(\(user), ***)"
        case .ntlm(let user, _): "ntlm(\(user), ***)"
        case .negotiate(let user, _): "negotiate(\(user), ***)"
        case .bearer: "bearer(***)"
        }
    }
}
