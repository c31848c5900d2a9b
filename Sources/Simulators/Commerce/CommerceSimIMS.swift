import Crypto
import Foundation

/// Adobe IMS `POST /ims/token/v3` (client credentials) and the bearer check of SaaS calls.
final class CommerceSimIMS: @unchecked Sendable {
    private let clients: [CommerceSimulatorConfig.IMSClient]
    private let lock = NSLock()
    private var expiresIn: Int
    private var tokens: [String: Date] = [:]
    private(set) var issued = 0

    init(config: CommerceSimulatorConfig) {
        clients = config.imsClients
        expiresIn = config.imsTokenExpiresIn
    }

    var tokenLifetime: Int {
        get { lock.withLock { expiresIn } }
        set { lock.withLock { expiresIn = newValue } }
    }

    var issuedCount: Int { lock.withLock { issued } }

    func isValid(_ token: String, now: Date = Date()) -> Bool {
        lock.withLock { tokens[token].map { $0 > now } ?? false }
    }

    /// Forget every token (as if IMS revoked them): the next call gets a 401.
    func revokeAll() { lock.withLock { tokens.removeAll() } }

    func tokenEndpoint(_ request: CommerceSimRequest) -> CommerceSimResponse {
        // Parameters may come in the form body or the query.
        var params: [String: String] = [:]
        for (k, v) in request.queryItems { params[k] = v }
        for (k, v) in CommerceSimOAuth.magentoQueryPairs(String(decoding: request.body, as: UTF8.self)) { params[k] = v }
        guard params["grant_type"] == "client_credentials" else {
            return .json(400, ["error": "unsupported_grant_type", "error_description": "grant_type must be client_credentials"])
        }
        guard let client = clients.first(where: { $0.clientId == params["client_id"] }),
              constantTimeEquals(client.clientSecret, params["client_secret"] ?? "") else {
            return .json(401, ["error": "invalid_client", "error_description": "invalid client_id or client_secret"])
        }
        let scopes = (params["scope"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard scopes.contains("commerce.accs") else {
            return .json(400, ["error": "invalid_scope", "error_description": "scope must include commerce.accs"])
        }
        let token = "sim-ims-" + ((try? SecureRandom.token()) ?? UUID().uuidString)
        let lifetime = lock.withLock { () -> Int in
            tokens[token] = Date().addingTimeInterval(Double(expiresIn))
            issued += 1
            return expiresIn
        }
        return .json(200, ["access_token": token, "token_type": "bearer", "expires_in": lifetime])
    }
}
