import Crypto
import Foundation

/// Magento's OAuth 1.0a access-token check, step by step in Magento's order
/// (`Oauth::validateAccessTokenRequest`, `Helper\Request::_processRequest`, nonce generator).
/// Written from the reference notes, independently of the client's signer.
final class CommerceSimOAuth: @unchecked Sendable {
    private let integrations: [CommerceSimulatorConfig.Integration]
    private let futureWindow: Int
    private let acceptSHA1: Bool
    private let naturalSort: Bool
    private let lock = NSLock()
    /// UNIQUE(nonce, consumer_id), as in `oauth_nonce`.
    private var nonces: Set<String> = []

    init(config: CommerceSimulatorConfig) {
        integrations = config.integrations
        futureWindow = config.timestampFutureWindow
        acceptSHA1 = config.acceptSHA1
        naturalSort = config.naturalParameterSort
    }

    var nonceCount: Int { lock.withLock { nonces.count } }

    /// Nil when the request is authentic and authorised; otherwise Magento's error answer.
    func verify(_ request: CommerceSimRequest, authorization: String, now: Int = Int(Date().timeIntervalSince1970)) -> CommerceSimResponse? {
        let oauth = Self.parseHeader(authorization)
        if let version = oauth["oauth_version"], version != "1.0" {
            return .magentoError(400, "The \"%1\" Oauth version isn't supported.", [version])
        }
        for name in ["oauth_consumer_key", "oauth_signature", "oauth_signature_method",
                     "oauth_nonce", "oauth_timestamp", "oauth_token"] where (oauth[name] ?? "").isEmpty {
            return .magentoError(400, "\"%fieldName\" is required. Enter and try again.", ["fieldName": name])
        }
        let token = oauth["oauth_token"]!, consumerKey = oauth["oauth_consumer_key"]!
        let method = oauth["oauth_signature_method"]!
        if token.count != 32 {
            return .magentoError(400, "The token length is invalid. Check the length and try again.")
        }
        guard method == "HMAC-SHA256" || (acceptSHA1 && method == "HMAC-SHA1") else {
            return .magentoError(400, "Signature method %1 is not supported", [method])
        }
        if consumerKey.count != 32 { return .magentoError(401, "Consumer key is not the correct length") }
        guard let integration = integrations.first(where: { $0.consumerKey == consumerKey }) else {
            return .magentoError(401, "A consumer having the specified key does not exist")
        }
        let nonce = oauth["oauth_nonce"]!
        guard let timestamp = Int(oauth["oauth_timestamp"]!), timestamp > 0, timestamp <= now + futureWindow else {
            // Magento rewraps the timestamp failure into the nonce message.
            return .magentoError(401, "An error occurred validating the nonce")
        }
        let fresh = lock.withLock { nonces.insert("\(integration.id):\(nonce)").inserted }
        if !fresh {
            return .magentoError(401, "The nonce is already being used by the consumer with ID %1", [String(integration.id)])
        }
        guard let owner = integrations.first(where: { $0.accessToken == token }) else {
            return .magentoError(401, "Specified token does not exist")
        }
        guard owner.id == integration.id else {
            return .magentoError(401, "Token is not associated with the specified consumer")
        }
        let expected = signature(request, oauth: oauth, integration: integration, sha1: method == "HMAC-SHA1")
        guard constantTimeEquals(expected, oauth["oauth_signature"]!) else {
            return .magentoError(401, "The signature is invalid. Verify and try again.")
        }
        if !integration.active { return Self.notAuthorized(request) }
        return nil
    }

    /// The ACL refusal (inactive integration, missing resource, or a refused bearer token).
    static func notAuthorized(_ request: CommerceSimRequest) -> CommerceSimResponse {
        let resource = request.path.contains("/customers") ? "Magento_Customer::manage"
            : request.path.contains("/orders") || request.path.contains("/invoices") ? "Magento_Sales::sales"
            : "Magento_Catalog::products"
        return .magentoError(401, "The consumer isn't authorized to access %resources.", ["resources": resource])
    }

    func signature(_ request: CommerceSimRequest, oauth: [String: String],
                   integration: CommerceSimulatorConfig.Integration, sha1: Bool) -> String {
        var params = oauth.filter { $0.key != "oauth_signature" }.map { ($0.key, $0.value) }
        params += Self.magentoQueryPairs(request.rawQuery).filter { !$0.0.hasPrefix("oauth_") }
        if (request.header("Content-Type") ?? "").lowercased().hasPrefix("application/x-www-form-urlencoded") {
            params += Self.magentoQueryPairs(String(decoding: request.body, as: UTF8.self))
        }
        let encoded = params.map { (SimPercent.encode($0.0), SimPercent.encode($0.1)) }
        let sorted = encoded.sorted { a, b in
            if a.0 != b.0 {
                return naturalSort ? a.0.compare(b.0, options: .numeric) == .orderedAscending : a.0 < b.0
            }
            return a.1 < b.1
        }
        let host = (request.header("Host") ?? "localhost").lowercased()
        let url = "http://" + Self.dropDefaultPort(host) + request.path
        let base = request.method + "&" + SimPercent.encode(url) + "&"
            + SimPercent.encode(sorted.map { "\($0.0)=\($0.1)" }.joined(separator: "&"))
        let key = SimPercent.encode(integration.consumerSecret) + "&" + SimPercent.encode(integration.accessTokenSecret)
        let mac = sha1 ? HMAC.sha1(key: key, data: base) : HMAC.sha256(key: key, data: base)
        return Data(mac).base64EncodedString()
    }

    /// `Helper\Request::_processHeader`: after `oauth `, split on `,` then on the first `=`,
    /// strip quotes, keep `oauth_[a-z_-]+` names, rawurldecode.
    static func parseHeader(_ header: String) -> [String: String] {
        guard let start = header.range(of: "oauth ", options: .caseInsensitive) else { return [:] }
        var out: [String: String] = [:]
        for part in header[start.upperBound...].split(separator: ",") {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pieces.count == 2 else { continue }
            let name = pieces[0].trimmingCharacters(in: .whitespaces)
            guard name.range(of: "^oauth_[a-z_-]+$", options: .regularExpression) != nil else { continue }
            let value = pieces[1].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\"", with: "")
            out[name] = SimPercent.decode(value, plusIsSpace: false)
        }
        return out
    }

    /// Only pairs with exactly one `=` survive, url-decoded (`+` → space).
    static func magentoQueryPairs(_ query: String) -> [(String, String)] {
        query.split(separator: "&").compactMap { pair in
            let pieces = pair.split(separator: "=", omittingEmptySubsequences: false)
            guard pieces.count == 2 else { return nil }
            return (SimPercent.decode(String(pieces[0])), SimPercent.decode(String(pieces[1])))
        }
    }

    private static func dropDefaultPort(_ host: String) -> String {
        host.hasSuffix(":80") ? String(host.dropLast(3)) : host
    }
}
