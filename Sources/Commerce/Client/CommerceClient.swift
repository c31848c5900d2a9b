import Foundation
import Logging

/// The Adobe Commerce REST client of one tenant: it owns URL building for PaaS and SaaS,
/// request authentication (OAuth 1.0a HMAC-SHA256 signing or a cached IMS bearer token),
/// error mapping, and the typed calls for products, async bulk, customers, orders and invoices.
///
///     let client = CommerceClient(tenant: "t1", settings: settings, transport: transport,
///                                 tokenCache: sharedIMSCache)
///     let order = try client.order(incrementId: "000000042")
///
/// Blocking: every call performs HTTP on the calling thread (a worker thread).
public final class CommerceClient: Sendable {
    public let tenant: String
    public let settings: CommerceSettings
    let transport: any CommerceTransport
    let tokenCache: IMSTokenCache
    let logger: Logger

    public init(tenant: String, settings: CommerceSettings, transport: any CommerceTransport,
                tokenCache: IMSTokenCache, logger: Logger = Logger(label: "ml-connector.commerce")) {
        self.tenant = tenant
        self.settings = settings
        self.transport = transport
        self.tokenCache = tokenCache
        self.logger = logger
    }

    /// Which Magento route family a call goes to.
    enum Route {
        case sync, async, asyncBulk
    }

    /// `…/rest/<store>/V1/<path>` (PaaS) or `…/<tenant>/V1/<path>` (SaaS), plus the query.
    func url(_ path: String, route: Route = .sync, query: [(name: String, value: String)] = []) -> String {
        var url = settings.baseURL
        switch settings.flavour {
        case .paas(let store):
            url += "/rest/" + PercentEncoding.encode(store)
            switch route {
            case .sync: url += "/V1/"
            case .async: url += "/async/V1/"
            case .asyncBulk: url += "/async/bulk/V1/"
            }
        case .saas(let tenantId, _):
            url += "/" + PercentEncoding.encode(tenantId) + "/V1/"
            switch route {
            case .sync: break
            case .async: url += "async/"
            case .asyncBulk: url += "async/bulk/"
            }
        }
        url += path
        if !query.isEmpty {
            url += "?" + query.map { PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value) }
                .joined(separator: "&")
        }
        return url
    }

    /// Sends an authenticated request and returns a 2xx response, mapping everything else to
    /// `CommerceError`. IMS: a 401 drops the cached token and retries once with a fresh one.
    func perform(_ method: String, _ url: String, body: [UInt8]? = nil) throws(CommerceError) -> CommerceHTTPResponse {
        var rateLimitRetries = settings.inlineRateLimitRetries
        var refreshedAfter401 = false
        while true {
            let (request, bearer) = try authenticated(method, url, body: body)
            let response = try transport.send(request)
            if (200..<300).contains(response.status) { return response }
            let error = CommerceError.from(status: response.status, body: response.body,
                                           retryAfter: response.header("Retry-After"),
                                           defaultRetryAfter: settings.defaultRetryAfter)
            if response.status == 401, let bearer, !refreshedAfter401 {
                refreshedAfter401 = true
                tokenCache.invalidate(tenant: tenant, token: bearer)
                continue
            }
            if case .rateLimited(let wait) = error, rateLimitRetries > 0, wait <= settings.maxInlineRetryWait {
                rateLimitRetries -= 1
                Thread.sleep(forTimeInterval: wait)
                continue
            }
            logger.debug("commerce call failed", metadata: [
                "tenant": "\(tenant)", "method": "\(method)", "status": "\(response.status)", "code": "\(error.code)",
            ])
            throw error
        }
    }

    /// The request with its auth headers; the bearer token used, if any (for the 401 retry).
    private func authenticated(_ method: String, _ url: String, body: [UInt8]?) throws(CommerceError) -> (CommerceHTTPRequest, String?) {
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        if case .saas(_, let store) = settings.flavour { headers.append(("Store", store)) }
        var bearer: String?
        switch settings.auth {
        case .oauth1(let credentials):
            let signer = OAuth1Signer(credentials: credentials, parameterOrder: settings.oauthParameterOrder)
            do {
                headers.append(("Authorization", try signer.authorizationHeader(method: method, url: url)))
            } catch {
                throw .invalidSettings(message: error.message)
            }
        case .ims(let credentials):
            let token = try tokenCache.token(tenant: tenant, credentials: credentials, transport: transport)
            bearer = token
            headers.append(("Authorization", "Bearer " + token))
            headers.append(("x-api-key", credentials.clientId))
            headers.append(("x-gw-ims-org-id", credentials.orgId))
        }
        return (CommerceHTTPRequest(method: method, url: url, headers: headers, body: body), bearer)
    }

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }()

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.withoutEscapingSlashes]
        return e
    }()

    func decode<T: Decodable>(_ type: T.Type, _ response: CommerceHTTPResponse) throws(CommerceError) -> T {
        do { return try Self.decoder.decode(T.self, from: Data(response.body)) } catch {
            throw .invalidResponse(message: "could not read \(T.self): \(Self.describe(error))")
        }
    }

    func encode<T: Encodable>(_ value: T) throws(CommerceError) -> [UInt8] {
        do { return Array(try Self.encoder.encode(value)) } catch {
            throw .invalidSettings(message: "could not encode \(T.self)")
        }
    }

    /// A path segment (SKU, id) encoded so `/`, spaces and `?` stay inside it.
    static func segment(_ value: String) -> String { PercentEncoding.encode(value) }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            "missing \(key.stringValue) at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            "\(context.debugDescription) at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: "\(error)"
        }
    }
}
