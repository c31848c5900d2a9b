import CCurl

/// libcurl's process-wide set-up. `curl_global_init` must run once before any handle exists;
/// a `static let` is initialised exactly once, thread-safely, on first use.
enum CurlRuntime {
    static let initialised: Bool = mlc_curl_global_init_default() == CURLE_OK

    /// `libcurl/7.88.1 OpenSSL/3.0.19 ...`, for diagnostics.
    static var version: String { String(cString: curl_version()) }
}
