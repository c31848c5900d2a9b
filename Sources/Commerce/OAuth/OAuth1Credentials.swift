/// The four secrets of an Adobe Commerce Integration (Admin > System > Extensions > Integrations).
/// Magento generates each as 32 characters of `[0-9a-z]`; access tokens never expire until revoked.
public struct OAuth1Credentials: Sendable, Equatable {
    public var consumerKey: String
    public var consumerSecret: String
    public var accessToken: String
    public var accessTokenSecret: String

    public init(consumerKey: String, consumerSecret: String, accessToken: String, accessTokenSecret: String) {
        self.consumerKey = consumerKey
        self.consumerSecret = consumerSecret
        self.accessToken = accessToken
        self.accessTokenSecret = accessTokenSecret
    }
}

extension OAuth1Credentials: CustomStringConvertible, CustomDebugStringConvertible {
    // Secrets must never reach a log line through string interpolation.
    public var description: String { "OAuth1Credentials(consumerKey: \(consumerKey), secrets: <redacted>)" }
    public var debugDescription: String { description }
}
