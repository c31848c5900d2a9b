/// Failures while signing a request (never carries a secret).
public enum OAuth1Error: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL(String)
    case randomUnavailable

    public var code: String {
        switch self {
        case .invalidURL: "invalid_url"
        case .randomUnavailable: "random_unavailable"
        }
    }

    public var message: String {
        switch self {
        case .invalidURL(let why): "Cannot sign the request: the URL is not absolute http(s) (\(why))."
        case .randomUnavailable: "Cannot sign the request: the system random generator failed."
        }
    }

    public var description: String { "\(code): \(message)" }
}
