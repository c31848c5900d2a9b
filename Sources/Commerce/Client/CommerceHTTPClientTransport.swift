import Foundation
import HTTPClient

/// The production transport: the shared libcurl `HTTPClient`, one per calling thread (a client
/// owns a libcurl handle and its connection cache, so each worker thread keeps its own
/// keep-alive connections to Commerce).
public struct CommerceHTTPClientTransport: CommerceTransport {
    public var tls: HTTPTLS
    public var proxy: HTTPProxy
    public var connectTimeout: Duration
    public var timeout: Duration

    public init(tls: HTTPTLS = .standard, proxy: HTTPProxy = .environment,
                connectTimeout: Duration = .seconds(10), timeout: Duration = .seconds(60)) {
        self.tls = tls
        self.proxy = proxy
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }

    public func send(_ request: CommerceHTTPRequest) throws(CommerceError) -> CommerceHTTPResponse {
        var headers = HTTPHeaders()
        for header in request.headers { headers.add(header.name, header.value) }
        let outbound = HTTPRequest(method: HTTPMethod(rawValue: request.method), url: request.url, headers: headers,
                                   body: request.body ?? [], tls: tls, proxy: proxy,
                                   connectTimeout: connectTimeout, timeout: timeout)
        do {
            let response = try Self.threadClient().perform(outbound)
            return CommerceHTTPResponse(status: response.status,
                                        headers: response.headers.fields.map { (name: $0.name, value: $0.value) },
                                        body: response.body)
        } catch {
            // HTTPClientError messages name host and port, never credentials.
            throw .transport(message: error.message)
        }
    }

    private static let key = "ml-connector.commerce.http-client"

    /// This thread's client, created on first use and released with the thread.
    private static func threadClient() -> HTTPClient {
        final class Holder { let client = HTTPClient() }
        if let holder = Thread.current.threadDictionary[key] as? Holder { return holder.client }
        let holder = Holder()
        Thread.current.threadDictionary[key] = holder
        return holder.client
    }
}
