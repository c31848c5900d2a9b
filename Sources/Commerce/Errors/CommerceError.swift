import Foundation

/// Every failure the Commerce client reports. `code` is stable snake_case for logs, JSON errors
/// and tests; `message` is a plain sentence (Magento's template filled in). No case carries a
/// secret: not the token, not the consumer secret, not a signature.
public enum CommerceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 400/405/406/422: Magento refused the input (validation, duplicate email, bad method …).
    case rejected(status: Int, message: String)
    /// 401: bad OAuth signature, nonce, token, an inactive integration or a missing ACL resource.
    case unauthorized(message: String)
    /// 403: wrong IMS org or permissions.
    case forbidden(message: String)
    /// 404: the entity or the route does not exist.
    case notFound(message: String)
    /// 429: try again after `retryAfter` seconds (Retry-After, or the setting's default).
    case rateLimited(retryAfter: Double)
    /// 5xx from Commerce (or a gateway in front of it).
    case serverError(status: Int, message: String)
    /// Any other status.
    case unexpectedStatus(status: Int, message: String)
    /// The request never got an HTTP answer (DNS, connect, TLS, timeout).
    case transport(message: String)
    /// A 2xx whose body is not what the endpoint documents.
    case invalidResponse(message: String)
    /// The IMS token endpoint refused or failed.
    case imsToken(message: String)
    /// The tenant's Commerce settings cannot work (bad URL, wrong auth for the flavour, …).
    case invalidSettings(message: String)

    public var code: String {
        switch self {
        case .rejected: "commerce_rejected"
        case .unauthorized: "commerce_unauthorized"
        case .forbidden: "commerce_forbidden"
        case .notFound: "commerce_not_found"
        case .rateLimited: "commerce_rate_limited"
        case .serverError: "commerce_server_error"
        case .unexpectedStatus: "commerce_unexpected_status"
        case .transport: "commerce_unreachable"
        case .invalidResponse: "commerce_invalid_response"
        case .imsToken: "commerce_ims_token_failed"
        case .invalidSettings: "commerce_invalid_settings"
        }
    }

    public var message: String {
        switch self {
        case .rejected(let status, let m): "Adobe Commerce rejected the request (\(status)): \(m)"
        case .unauthorized(let m): "Adobe Commerce refused the credentials (401): \(m)"
        case .forbidden(let m): "Adobe Commerce denied access (403): \(m)"
        case .notFound(let m): "Not found in Adobe Commerce (404): \(m)"
        case .rateLimited(let s): "Adobe Commerce is rate limiting; retry after \(Self.seconds(s)) s."
        case .serverError(let status, let m): "Adobe Commerce failed (\(status)): \(m)"
        case .unexpectedStatus(let status, let m): "Adobe Commerce answered \(status): \(m)"
        case .transport(let m): "Adobe Commerce could not be reached: \(m)"
        case .invalidResponse(let m): "Adobe Commerce sent an unexpected response: \(m)"
        case .imsToken(let m): "Could not get an Adobe IMS access token: \(m)"
        case .invalidSettings(let m): "The Commerce settings are not usable: \(m)"
        }
    }

    public var description: String { "\(code): \(message)" }

    /// Worth retrying later with the same input (rate limit, 5xx, network).
    public var isRetryable: Bool {
        switch self {
        case .rateLimited, .serverError, .transport: true
        default: false
        }
    }

    /// Seconds to wait before retrying, when the server said so.
    public var retryAfter: Double? {
        if case .rateLimited(let s) = self { return s }
        return nil
    }

    /// Maps a non-2xx answer. `retryAfter` is the raw header; `defaultRetryAfter` applies when
    /// it is missing or unreadable (Adobe's own client defaults to 5 s).
    public static func from(status: Int, body: some Collection<UInt8>, retryAfter: String?,
                            defaultRetryAfter: Double = 5) -> CommerceError {
        let text = MagentoErrorMessage.parse(body)?.rendered ?? Self.plainText(body, status: status)
        switch status {
        case 401: return .unauthorized(message: text)
        case 403: return .forbidden(message: text)
        case 404: return .notFound(message: text)
        case 429: return .rateLimited(retryAfter: parseRetryAfter(retryAfter) ?? defaultRetryAfter)
        case 400, 405, 406, 409, 413, 415, 422: return .rejected(status: status, message: text)
        case 500...599: return .serverError(status: status, message: text)
        default: return .unexpectedStatus(status: status, message: text)
        }
    }

    /// `Retry-After` as delta-seconds or an HTTP date.
    public static func parseRetryAfter(_ value: String?, now: Date = Date()) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    private static func plainText(_ body: some Collection<UInt8>, status: Int) -> String {
        let text = String(decoding: body.prefix(300), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty || text.hasPrefix("<") ? "HTTP \(status) without a Magento error body" : text
    }

    private static func seconds(_ s: Double) -> String {
        s == s.rounded() ? String(Int(s)) : String(format: "%.1f", s)
    }
}
