import Crypto
import Foundation

/// Signs Adobe Commerce REST requests with OAuth 1.0a exactly as Magento verifies them
/// (`Magento\Framework\Oauth\Helper\Request` + `Oauth::validateAccessTokenRequest`).
///
/// - Signature method HMAC-SHA256: Commerce 2.4.4+ rejects HMAC-SHA1 with a 400.
/// - Key `enc(consumer_secret)&enc(access_token_secret)`.
/// - Base string `METHOD&enc(url)&enc(sorted params)`, where the URL is normalised without query
///   or fragment, and the params are the `oauth_*` values plus the **decoded** query parameters
///   (plus form fields for `application/x-www-form-urlencoded` bodies). A JSON body is never signed.
/// - Nonce: 32 characters of `[0-9a-z]` (Magento's nonce column is `varchar(32)`).
///
///     let signer = OAuth1Signer(credentials: creds)
///     let header = try signer.authorizationHeader(method: "GET", url: url)
///     request.headers["Authorization"] = header
public struct OAuth1Signer: Sendable {
    public enum SignatureMethod: String, Sendable, CaseIterable {
        case hmacSHA256 = "HMAC-SHA256"
        /// Only for talking to Commerce ≤ 2.4.3 (and for testing that newer servers refuse it).
        case hmacSHA1 = "HMAC-SHA1"
    }

    /// How parameters are sorted in the base string. RFC 5849 and the newest Magento sort
    /// byte-wise (`ksort`); Laminas-era Magento sorts keys with PHP's `strnatcmp`, which differs
    /// once an array index reaches 10 (`[10]` after `[2]`). UNCONFIRMED which releases do which,
    /// so it is a per-tenant setting defaulting to the RFC order.
    public enum ParameterOrder: String, Sendable, CaseIterable {
        case bytewise
        case natural
    }

    public var credentials: OAuth1Credentials
    public var signatureMethod: SignatureMethod
    public var parameterOrder: ParameterOrder

    public init(credentials: OAuth1Credentials,
                signatureMethod: SignatureMethod = .hmacSHA256,
                parameterOrder: ParameterOrder = .bytewise) {
        self.credentials = credentials
        self.signatureMethod = signatureMethod
        self.parameterOrder = parameterOrder
    }

    /// The full `Authorization` header value (`OAuth oauth_consumer_key="…", …`).
    /// `formParameters` only for `application/x-www-form-urlencoded` bodies; `nonce` and
    /// `timestamp` are generated when nil (tests pass them to get reproducible signatures).
    public func authorizationHeader(method: String, url: String,
                                    formParameters: [(String, String)] = [],
                                    nonce: String? = nil, timestamp: Int? = nil) throws(OAuth1Error) -> String {
        let oauth = try oauthParameters(method: method, url: url, formParameters: formParameters,
                                        nonce: nonce, timestamp: timestamp)
        return "OAuth " + oauth
            .map { "\(PercentEncoding.encode($0.0))=\"\(PercentEncoding.encode($0.1))\"" }
            .joined(separator: ", ")
    }

    /// The `oauth_*` parameters including `oauth_signature`, in header order.
    public func oauthParameters(method: String, url: String,
                                formParameters: [(String, String)] = [],
                                nonce: String? = nil, timestamp: Int? = nil) throws(OAuth1Error) -> [(String, String)] {
        let parts = try OAuth1URL(url)
        let nonce = if let nonce { nonce } else { try Self.makeNonce() }
        var oauth: [(String, String)] = [
            ("oauth_consumer_key", credentials.consumerKey),
            ("oauth_nonce", nonce),
            ("oauth_signature_method", signatureMethod.rawValue),
            ("oauth_timestamp", String(timestamp ?? Int(Date().timeIntervalSince1970))),
            ("oauth_token", credentials.accessToken),
            ("oauth_version", "1.0"),
        ]
        let signed = oauth + parts.queryParameters.filter { !$0.0.hasPrefix("oauth_") } + formParameters
        let base = Self.baseString(method: method, normalisedURL: parts.normalised,
                                   parameters: signed, order: parameterOrder)
        oauth.append(("oauth_signature", Self.signature(baseString: base,
                                                        consumerSecret: credentials.consumerSecret,
                                                        tokenSecret: credentials.accessTokenSecret,
                                                        method: signatureMethod)))
        return oauth
    }

    /// `UPPER(method)&enc(url)&enc(k1=v1&k2=v2…)` with each key and value encoded, then sorted.
    public static func baseString(method: String, normalisedURL: String,
                                  parameters: [(String, String)], order: ParameterOrder = .bytewise) -> String {
        let encoded = parameters.map { (PercentEncoding.encode($0.0), PercentEncoding.encode($0.1)) }
        let sorted = encoded.sorted { a, b in
            switch order {
            case .bytewise:
                a.0 != b.0 ? a.0.utf8.lexicographicallyPrecedes(b.0.utf8) : a.1.utf8.lexicographicallyPrecedes(b.1.utf8)
            case .natural:
                a.0 != b.0 ? NaturalOrder.precedes(a.0, b.0) : NaturalOrder.precedes(a.1, b.1)
            }
        }
        let joined = sorted.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        return method.uppercased() + "&" + PercentEncoding.encode(normalisedURL) + "&" + PercentEncoding.encode(joined)
    }

    /// `base64(HMAC(enc(consumerSecret)&enc(tokenSecret), baseString))`.
    public static func signature(baseString: String, consumerSecret: String, tokenSecret: String,
                                 method: SignatureMethod = .hmacSHA256) -> String {
        let key = PercentEncoding.encode(consumerSecret) + "&" + PercentEncoding.encode(tokenSecret)
        return Data(hmac(method, key: key, data: baseString)).base64EncodedString()
    }

    /// 32 characters of `[0-9a-z]`, matching Magento's own generator and its column width.
    public static func makeNonce() throws(OAuth1Error) -> String {
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)
        let bytes: [UInt8]
        do { bytes = try SecureRandom.bytes(32) } catch { throw .randomUnavailable }
        // 256 is not a multiple of 36; the bias (< 0.4 %) is irrelevant for a nonce's uniqueness.
        return String(decoding: bytes.map { alphabet[Int($0) % alphabet.count] }, as: UTF8.self)
    }

    /// The single place the signer touches a MAC primitive.
    static func hmac(_ method: SignatureMethod, key: String, data: String) -> [UInt8] {
        switch method {
        case .hmacSHA256: HMAC.sha256(key: key, data: data)
        case .hmacSHA1: HMAC.sha1(key: key, data: data)
        }
    }
}
