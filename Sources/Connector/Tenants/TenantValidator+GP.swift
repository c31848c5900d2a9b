/// The `gp` object: company URL, connection, Windows or basic credentials, limits and the
/// values the sync flows need (price level, sites, document prefixes).
extension TenantValidator {
    func readGP(_ r: DocumentReader, secrets: inout SecretValues, kept: Set<SecretField>) -> GPSettings? {
        let tls = readTLS(r.object("tls"))
        var url: CompanyURL?
        if let text = r.string("company_url", required: true, maxLength: CompanyURL.maxLength) {
            do {
                let u = try CompanyURL.parse(text)
                if u.isInsecure && !tls.allowInsecureHTTP {
                    r.fail("company_url", "insecure_http", "Must use https; set gp.tls.allow_insecure_http to allow http.")
                } else {
                    url = u
                }
            } catch {
                r.fail("company_url", error.code, error.message)
            }
        }
        let connection: GPConnection? = r.choice("connection", default: .direct)
        let auth: GPAuthMethod? = r.choice("auth", default: .ntlm)
        let agentCredentials: GPAgentCredentials? = r.choice("agent_credentials", default: .agent)
        let direct = connection == .direct
        // The agent is to use the stored credentials: the server must hold both to send them.
        let agentUsesServer = connection == .agent && agentCredentials == .server
        let neededForAgent = "Required when gp.agent_credentials is server: the server sends the stored GP credentials to the tenant's agent."
        var username: String?
        if agentUsesServer && (r.object["username"] ?? .null) == .null {
            r.fail("username", "required", neededForAgent)
        }
        if let u = r.string("username", required: direct, maxLength: 256) {
            if Self.isUsername(u, allowPlain: auth == .basic) {
                username = u
            } else {
                r.fail("username", "invalid_format", auth == .basic
                    ? "Must be a user name, DOMAIN\\user or user@domain."
                    : "Must be DOMAIN\\user or user@domain.")
            }
        }
        readSecret(r, .gpPassword, required: direct, kept: kept, into: &secrets)
        if agentUsesServer && !kept.contains(.gpPassword) && (r.object[SecretField.gpPassword.key] ?? .null) == .null {
            r.fail(SecretField.gpPassword.key, "required", neededForAgent)
        }
        let maxParallel = r.integer("max_parallel_calls", default: 3, range: 1...16)
        let priceLevel = r.token("price_level", length: 1...11, allowed: Chars.code, what: "a GP price level id (1–11 letters, digits, '-' or '_')")
        let sites = r.stringArray("sites", maxCount: 64, element: { (1...11).contains($0.count) && $0.allSatisfy(Chars.code) },
                                  what: "a GP site id (1–11 letters, digits, '-' or '_')")
        let prefix = "1–8 letters, digits, '-' or '_'"
        let batchPrefix = r.token("batch_prefix", length: 1...8, allowed: Chars.code, what: prefix)
        let documentPrefix = r.token("document_prefix", length: 1...8, allowed: Chars.code, what: prefix)
        let currency = r.token("functional_currency", length: 3...3, allowed: Chars.upper, what: "an ISO 4217 code such as USD")
        let sba = readSBA(r.object("sba"))
        r.rejectUnknown()

        guard let url, let connection, let auth, let agentCredentials else { return nil }
        var gp = GPSettings(companyURL: url, connection: connection, auth: auth)
        gp.agentCredentials = agentCredentials
        gp.username = username
        gp.tls = tls
        gp.maxParallelCalls = maxParallel
        gp.priceLevel = priceLevel
        gp.sites = sites ?? []
        gp.batchPrefix = batchPrefix ?? gp.batchPrefix
        gp.documentPrefix = documentPrefix ?? gp.documentPrefix
        gp.functionalCurrency = currency
        gp.sba = sba
        return gp
    }

    /// `DOMAIN\user`, `user@domain.tld`, or (basic only) a plain user name. The user part follows
    /// Windows' rules for account names, which also keeps quotes-and-semicolons payloads out.
    static func isUsername(_ s: String, allowPlain: Bool) -> Bool {
        func isUser(_ u: Substring) -> Bool {
            (1...104).contains(u.count) && u.trimmingSpaces == String(u)
                && u.allSatisfy { c in !"\"/\\[]:;|=,+*?<>@".contains(c) }
                && !u.unicodeScalars.contains(where: \.isControlOrSeparator)
        }
        let backslashes = s.filter { $0 == "\\" }.count, ats = s.filter { $0 == "@" }.count
        if backslashes == 1 && ats == 0 {
            let parts = s.split(separator: "\\", omittingEmptySubsequences: false)
            return (1...64).contains(parts[0].count) && parts[0].allSatisfy { Chars.code($0) || $0 == "." } && isUser(parts[1])
        }
        if ats == 1 && backslashes == 0 {
            let parts = s.split(separator: "@", omittingEmptySubsequences: false)
            return isUser(parts[0]) && URLAuthority.isDNSName(parts[1])
        }
        return allowPlain && backslashes == 0 && ats == 0 && isUser(Substring(s))
    }
}
