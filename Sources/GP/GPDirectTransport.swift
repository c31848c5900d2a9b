import Foundation
import HTTPClient

/// Sends GP requests straight to the GP Service with libcurl (`HTTPClient`), authenticating
/// with the tenant's Windows credentials (NTLM or Negotiate), Basic, or an Entra bearer token.
///
/// Each calling thread gets its own `HTTPClient` (a libcurl easy handle is single-threaded), kept
/// for the thread's life: its connections stay open, which is what keeps an NTLM-authenticated
/// connection from re-running the three-leg handshake on every call.
///
/// ```swift
/// let transport = GPDirectTransport(auth: .ntlm(user: #"CONTOSO\svc-gp"#, password: password),
///                                   tls: caPEM.map { .trusting(caPEM: $0) } ?? .standard)
/// ```
public final class GPDirectTransport: GPTransport {
    public let auth: HTTPAuth
    public let tls: HTTPTLS
    public let connectTimeout: Double
    public let maxResponseBytes: Int

    /// - Parameters:
    ///   - tls: `.standard` verifies against the system store; `.trusting(caPEM:)` against the
    ///     tenant's CA; `.insecureSkipVerification` only when the tenant explicitly asks (logged).
    ///   - maxResponseBytes: a whole catalog arrives in one answer when the server does not page,
    ///     hence the large default.
    public init(auth: HTTPAuth, tls: HTTPTLS = .standard, connectTimeout: Double = 10,
                maxResponseBytes: Int = 256 << 20) {
        self.auth = auth
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.maxResponseBytes = maxResponseBytes
    }

    public func send(_ request: GPRequest) throws(GPError) -> GPResponse {
        var headers = HTTPHeaders()
        for h in request.headers { headers.add(h.name, h.value) }
        let http = HTTPRequest(method: HTTPMethod(rawValue: request.method), url: request.url, headers: headers,
                               body: request.body.map { Array($0) } ?? [], auth: auth, tls: tls,
                               connectTimeout: .milliseconds(Int(connectTimeout * 1000)),
                               timeout: .milliseconds(Int(request.timeout * 1000)),
                               maxResponseBytes: maxResponseBytes)
        do {
            let response = try Self.threadClient().perform(http)
            return GPResponse(status: response.status,
                              headers: response.headers.fields.map { GPHeader($0.name, $0.value) },
                              body: Data(response.body), duration: response.timing.totalMs / 1000)
        } catch {
            throw Self.map(error, timeout: request.timeout)
        }
    }

    /// Transport failures in GP terms (the messages are already free of secrets).
    static func map(_ error: HTTPClientError, timeout: Double) -> GPError {
        switch error {
        case .dnsFailed, .connectionRefused, .other:
            return .unreachable(detail: error.message)
        case .tlsFailed:
            return .tlsFailed(detail: error.message)
        case .timeout(_, let ms, let connecting):
            return connecting ? .unreachable(detail: error.message) : .timeout(seconds: Double(ms) / 1000)
        case .responseTooLarge:
            return .badResponse(detail: error.message)
        case .invalidURL, .invalidRequest:
            return .invalidRequest(error.message)
        }
    }

    private static let threadKey = "ml-connector.gp.http-client"

    /// This thread's client, created on first use.
    static func threadClient() -> HTTPClient {
        let dictionary = Thread.current.threadDictionary
        if let box = dictionary[threadKey] as? ClientBox { return box.client }
        let box = ClientBox(HTTPClient())
        dictionary[threadKey] = box
        return box.client
    }

    private final class ClientBox: NSObject {
        let client: HTTPClient
        init(_ client: HTTPClient) { self.client = client }
    }
}
