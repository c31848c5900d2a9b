import Foundation

/// `POST <token_url>` with the client-credentials form; returns the token and its lifetime.
enum IMSTokenFetch {
    static func fetch(credentials: IMSCredentials, transport: any CommerceTransport) throws(CommerceError) -> (String, Double) {
        let form = [
            ("client_id", credentials.clientId), ("client_secret", credentials.clientSecret),
            ("grant_type", "client_credentials"), ("scope", credentials.scopes.joined(separator: ",")),
        ].map { PercentEncoding.encode($0.0) + "=" + PercentEncoding.encode($0.1) }.joined(separator: "&")
        let request = CommerceHTTPRequest(method: "POST", url: credentials.tokenURL,
                                          headers: [("Content-Type", "application/x-www-form-urlencoded"),
                                                    ("Accept", "application/json")],
                                          body: Array(form.utf8))
        let response = try transport.send(request)
        guard (200..<300).contains(response.status) else {
            // The IMS error body is UNCONFIRMED; show its error code when it has one, never the form.
            let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            let reason = (object?["error_description"] as? String) ?? (object?["error"] as? String) ?? "no error description"
            throw .imsToken(message: "token endpoint answered \(response.status): \(reason)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
              let token = object["access_token"] as? String, !token.isEmpty else {
            throw .imsToken(message: "the token response has no access_token")
        }
        let expiresIn = (object["expires_in"] as? NSNumber)?.doubleValue ?? 86_399
        return (token, expiresIn)
    }
}
