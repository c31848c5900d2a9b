/// The `commerce` object: base URL (PaaS or SaaS), store, OAuth 1.0a or IMS credentials and the
/// webhook verification key.
extension TenantValidator {
    func readCommerce(_ r: DocumentReader, secrets: inout SecretValues, kept: Set<SecretField>) -> CommerceSettings? {
        let tls = readTLS(r.object("tls"))
        var base: CommerceBaseURL?
        if let text = r.string("base_url", required: true, maxLength: 2048) {
            do {
                let b = try CommerceBaseURL.parse(text)
                if b.isInsecure && !tls.allowInsecureHTTP {
                    r.fail("base_url", "insecure_http", "Must use https; set commerce.tls.allow_insecure_http to allow http.")
                } else {
                    base = b
                }
            } catch {
                r.fail("base_url", error.code, error.message)
            }
        }
        let store = r.token("store_code", length: 1...32, allowed: Chars.lowerCode,
                            what: "a store code (lowercase letters, digits and '_', at most 32)") ?? "default"
        var auth: CommerceAuth?
        if let a = r.object("auth", required: true) {
            auth = readCommerceAuth(a, tls: tls, secrets: &secrets, kept: kept)
            if case .oauth1 = auth, base?.kind == .saas {
                a.fail("type", "unsupported_for_saas", "Adobe Commerce as a Cloud Service accepts only IMS credentials (type ims).")
                auth = nil
            }
        }
        var publicKey: String?
        if let pem = r.string("webhook_public_key", maxLength: 16_384) {
            if let problem = checkPublicKey(pem) {
                r.fail("webhook_public_key", "invalid_public_key", problem)
            } else {
                publicKey = pem
            }
        }
        r.rejectUnknown()
        guard let base, let auth else { return nil }
        return CommerceSettings(baseURL: base, storeCode: store, auth: auth, webhookPublicKey: publicKey, tls: tls)
    }

    func readCommerceAuth(_ r: DocumentReader, tls: TLSSettings, secrets: inout SecretValues, kept: Set<SecretField>) -> CommerceAuth? {
        enum Kind: String, CaseIterable { case oauth1, ims }
        guard let kind: Kind = r.choice("type", default: nil) else {
            _ = r.object.keys.map { r.value($0) }   // the type is unknown: its fields are not the problem
            return nil
        }
        switch kind {
        case .oauth1:
            // Commerce generates each of these as 32 characters of [0-9a-z].
            for field in SecretField.oauth1 {
                readSecret(r, field, required: true, kept: kept, into: &secrets,
                           validate: { $0.count == 32 && $0.allSatisfy(Chars.alnum) }, what: "32 letters or digits")
            }
            r.rejectUnknown()
            return .oauth1
        case .ims:
            let clientID = r.token("client_id", required: true, length: 1...256, allowed: Chars.identifier, what: "an IMS client id")
            readSecret(r, .commerceClientSecret, required: true, kept: kept, into: &secrets)
            let orgID = r.token("org_id", required: true, length: 1...256, allowed: Chars.identifier, what: "an IMS organization id (…@AdobeOrg)")
            var scopes = IMSSettings.defaultScopes
            if let s = r.stringArray("scopes", maxCount: 32, element: { (1...128).contains($0.count) && $0.allSatisfy(Chars.scope) },
                                     what: "an IMS scope name") {
                if s.contains("commerce.accs") { scopes = s } else {
                    r.fail("scopes", "missing_scope", "Must include commerce.accs.")
                }
            }
            var tokenURL = IMSSettings.defaultTokenURL
            if let t = r.string("token_url", maxLength: 2048) {
                if let u = try? CommerceBaseURL.parse(t), u.kind == .paas, !u.isInsecure || tls.allowInsecureHTTP {
                    tokenURL = u.normalized
                } else {
                    r.fail("token_url", "invalid_url", "Must be an absolute https URL such as \(IMSSettings.defaultTokenURL).")
                }
            }
            r.rejectUnknown()
            guard let clientID, let orgID else { return nil }
            return .ims(IMSSettings(clientID: clientID, orgID: orgID, scopes: scopes, tokenURL: tokenURL))
        }
    }
}
