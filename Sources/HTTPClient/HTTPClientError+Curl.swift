import CCurl

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the client knows about a failed transfer, enough to explain it in plain words.
struct CurlFailure {
    var code: CURLcode
    /// libcurl's `CURLOPT_ERRORBUFFER` text (may be empty).
    var detail: String
    /// `CURLINFO_OS_ERRNO` of the last connect attempt.
    var osErrno: Int
    /// Whether our write callback stopped the transfer because of the size cap.
    var exceededSizeCap: Bool
}

extension HTTPClientError {
    /// Maps a libcurl failure to a typed error. Host names come from our own parse of the URL
    /// (userinfo dropped), the reason from libcurl; the caller scrubs the result once more.
    init(_ failure: CurlFailure, request: HTTPRequest) {
        let target = URLAuthority(url: request.url)
        var proxy: URLAuthority?
        if case .url(let proxyURL, _) = request.proxy { proxy = URLAuthority(url: proxyURL) }
        // Connections go to the proxy when there is one; errors should name what we dialled.
        let dialled = proxy ?? target
        let host = target?.host ?? "(no host)"
        let reason = failure.detail.isEmpty ? String(cString: curl_easy_strerror(failure.code)) : failure.detail

        switch failure.code {
        case CURLE_COULDNT_RESOLVE_HOST:
            self = .dnsFailed(host: host)
        case CURLE_COULDNT_RESOLVE_PROXY:
            self = .dnsFailed(host: proxy?.host ?? "(from environment)", isProxy: true)
        case CURLE_COULDNT_CONNECT:
            let system = failure.osErrno != 0 ? String(cString: strerror(Int32(failure.osErrno))) : reason
            self = .connectionRefused(hostPort: dialled?.hostPort ?? host, reason: system)
        case CURLE_OPERATION_TIMEDOUT:
            // Only libcurl's own words tell the phases apart (on a reused connection the connect
            // time is 0 although the request went out). When unsure, say "not connecting": the
            // request may have been sent, so a POST is not retried.
            let connecting = ["Failed to connect", "Connection timed out", "Resolving timed out"]
                .contains { failure.detail.hasPrefix($0) }
            let ms = connecting
                ? min(request.connectTimeout, request.timeout).clampedMilliseconds
                : request.timeout.clampedMilliseconds
            self = .timeout(hostPort: dialled?.hostPort ?? host, milliseconds: ms, whileConnecting: connecting)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE,
             CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
             CURLE_SSL_ENGINE_INITFAILED, CURLE_USE_SSL_FAILED:
            self = .tlsFailed(host: host, reason: reason)
        case CURLE_FILESIZE_EXCEEDED:
            self = .responseTooLarge(limit: request.maxResponseBytes)
        case CURLE_WRITE_ERROR where failure.exceededSizeCap:
            self = .responseTooLarge(limit: request.maxResponseBytes)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            self = .invalidURL(url: Redaction.scrubUserinfo(request.url), reason: reason)
        default:
            self = .other(curlCode: Int(failure.code.rawValue), reason: reason)
        }
    }
}
