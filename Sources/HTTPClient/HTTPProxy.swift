/// Which proxy a request goes through.
///
/// The default is libcurl's own behaviour: `http_proxy`, `HTTPS_PROXY` (also lower case),
/// `ALL_PROXY` and `NO_PROXY` from the environment, read at each transfer. `NO_PROXY` is a
/// comma-separated list of host names, domain suffixes and IP addresses (or `*`) that are
/// reached directly.
public enum HTTPProxy: Sendable, Hashable {
    /// Proxy settings from the environment (libcurl's default), `NO_PROXY` honoured.
    case environment
    /// Always connect directly, ignoring the environment.
    case direct
    /// This proxy (`http://host:port`), except for the hosts in `noProxy` (same syntax as
    /// `NO_PROXY`). Proxy credentials in the URL are scrubbed from error messages.
    case url(String, noProxy: String? = nil)
}
