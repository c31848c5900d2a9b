/// Every write-only field of a tenant document. The raw value names the field as clients write
/// it and is part of the associated data sealed with it, so a ciphertext copied to another field
/// or tenant fails to open.
public enum SecretField: String, Sendable, CaseIterable, Codable {
    case gpPassword = "gp.password"
    case commerceConsumerKey = "commerce.auth.consumer_key"
    case commerceConsumerSecret = "commerce.auth.consumer_secret"
    case commerceAccessToken = "commerce.auth.access_token"
    case commerceAccessTokenSecret = "commerce.auth.access_token_secret"
    case commerceClientSecret = "commerce.auth.client_secret"

    /// The key inside its object (`password`, `consumer_secret`, ...).
    public var key: String { String(rawValue.split(separator: ".").last!) }

    /// The name a response shows instead of the value: `password_set`.
    public var flagKey: String { key + "_set" }

    public static let oauth1: [SecretField] = [.commerceConsumerKey, .commerceConsumerSecret, .commerceAccessToken, .commerceAccessTokenSecret]
}

/// Plaintext secrets on their way to the vault or to an outbound client. Its description never
/// shows a value, so a stray `print` or log interpolation cannot leak one.
public struct SecretValues: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var values: [SecretField: String]

    public init(_ values: [SecretField: String] = [:]) { self.values = values }

    public subscript(field: SecretField) -> String? {
        get { values[field] }
        set { values[field] = newValue }
    }

    public var fields: Set<SecretField> { Set(values.keys) }

    public var description: String {
        "SecretValues(" + values.keys.map(\.rawValue).sorted().joined(separator: ", ") + ")"
    }

    public var debugDescription: String { description }
}
