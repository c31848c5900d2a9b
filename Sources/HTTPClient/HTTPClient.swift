import CCurl
import Logging

/// The one outbound HTTP client of ml-connector, shared by the GP (SBA) and Commerce REST
/// clients. It owns a single libcurl easy handle and reuses it for every request, so libcurl's
/// connection cache keeps connections alive between requests. That matters beyond speed: NTLM
/// authenticates a *connection*, and IIS lets later requests on it through without a new
/// handshake.
///
/// Threading: an `HTTPClient` is used by one thread at a time and is deliberately not
/// `Sendable`. Each worker thread owns one, most simply through `HTTPClient.forCurrentThread()`.
/// `perform` blocks the calling thread for the whole transfer, so call it from our own threads
/// (worker threads, `Thread`), never from Swift's cooperative pool.
///
/// ```swift
/// let client = HTTPClient.forCurrentThread()
/// let response = try client.perform(HTTPRequest(url: "https://shop.contoso.com/rest/V1/store/storeConfigs",
///                                               auth: .bearer(token: token)))
/// ```
///
/// Never logged: bodies, `Authorization` headers, credentials. Each request logs one debug line
/// (method, URL without userinfo, status, time); a request with TLS verification off logs a
/// warning every time.
public final class HTTPClient {
    private let handle: UnsafeMutableRawPointer?
    let logger: Logger

    public init(logger: Logger = Logger(label: "ml-connector.http-client")) {
        self.logger = logger
        handle = CurlRuntime.initialised ? curl_easy_init() : nil
    }

    deinit {
        if let handle { curl_easy_cleanup(handle) }
    }

    /// Sends the request and waits for the complete response (following no redirects unless the
    /// request allows them). Any HTTP status is a response; only transport failures throw.
    public func perform(_ request: HTTPRequest) throws(HTTPClientError) -> HTTPResponse {
        do {
            let response = try performUnscrubbed(request)
            logger.debug("http request", metadata: [
                "method": "\(request.method)", "url": "\(Redaction.scrubUserinfo(request.url))",
                "status": "\(response.status)", "ms": "\(Int(response.timing.totalMs))",
            ])
            return response
        } catch {
            let scrubbed = error.scrubbed(secrets: request.secrets)
            logger.debug("http request failed", metadata: [
                "method": "\(request.method)", "url": "\(Redaction.scrubUserinfo(request.url))",
                "code": "\(scrubbed.code)", "error": "\(scrubbed.message)",
            ])
            throw scrubbed
        }
    }

    private func performUnscrubbed(_ request: HTTPRequest) throws(HTTPClientError) -> HTTPResponse {
        guard let handle else {
            throw .other(curlCode: Int(CURLE_FAILED_INIT.rawValue), reason: "libcurl could not be initialised")
        }
        try request.validate()
        // Reset clears every option of the previous request but keeps the connection cache,
        // the DNS cache and TLS sessions: the point of owning the handle.
        curl_easy_reset(handle)

        let sink = TransferSink(maxBodyBytes: request.maxResponseBytes)
        var errorBuffer = [CChar](repeating: 0, count: Int(mlc_curl_error_size))
        var headerList = HeaderList()
        defer { headerList.free() }

        let code: CURLcode = request.body.withUnsafeBytes { body in
            errorBuffer.withUnsafeMutableBufferPointer { errors in
                var options = EasyOptions(handle: handle)
                configure(&options, for: request, body: body, headers: &headerList)
                options.pointer(CURLOPT_ERRORBUFFER, errors.baseAddress)
                options.bindSink(sink)
                if let failure = options.failure { return failure }
                return withExtendedLifetime(sink) { curl_easy_perform(handle) }
            }
        }
        let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)

        guard code == CURLE_OK else {
            var osErrno = 0
            _ = mlc_curl_getinfo_long(handle, CURLINFO_OS_ERRNO, &osErrno)
            let failure = CurlFailure(code: code, detail: detail, osErrno: osErrno,
                                      exceededSizeCap: sink.exceededSizeCap)
            throw HTTPClientError(failure, request: request)
        }

        var status = 0
        var connects = 0
        _ = mlc_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        _ = mlc_curl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body,
                            timing: timing(handle), connectionsOpened: connects)
    }

    private func timing(_ handle: UnsafeMutableRawPointer) -> HTTPTiming {
        func ms(_ info: CURLINFO) -> Double {
            var micros: curl_off_t = 0
            _ = mlc_curl_getinfo_off(handle, info, &micros)
            return Double(micros) / 1000
        }
        let connect = ms(CURLINFO_CONNECT_TIME_T)
        let appConnect = ms(CURLINFO_APPCONNECT_TIME_T)
        return HTTPTiming(totalMs: ms(CURLINFO_TOTAL_TIME_T), connectMs: connect,
                          tlsMs: appConnect > connect ? appConnect - connect : 0,
                          firstByteMs: ms(CURLINFO_STARTTRANSFER_TIME_T))
    }
}

/// A client holds a raw libcurl handle that must not be used from two threads at once.
@available(*, unavailable)
extension HTTPClient: Sendable {}
