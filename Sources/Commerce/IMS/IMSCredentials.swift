/// An Adobe Developer Console server-to-server (OAuth client credentials) credential.
public struct IMSCredentials: Sendable, Equatable {
    public static let defaultTokenURL = "https://ims-na1.adobelogin.com/ims/token/v3"
    public static let defaultScopes = ["openid", "AdobeID", "email", "profile", "additional_info.roles",
                                       "additional_info.projectedProductContext", "commerce.accs"]

    public var clientId: String
    public var clientSecret: String
    public var orgId: String
    public var scopes: [String]
    public var tokenURL: String

    public init(clientId: String, clientSecret: String, orgId: String,
                scopes: [String] = IMSCredentials.defaultScopes, tokenURL: String = IMSCredentials.defaultTokenURL) {
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.orgId = orgId
        self.scopes = scopes
        self.tokenURL = tokenURL
    }
}

extension IMSCredentials: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "IMSCredentials(clientId: \(clientId), orgId: \(orgId), secret: <redacted>)" }
    public var debugDescription: String { description }
}
