import Foundation

/// The JSON spellings of validated settings: `document` is what the database stores (and what
/// `TenantValidator` reads back), `Tenant.publicDocument` is what responses show. Neither ever
/// holds a secret; responses say `"password_set": true` instead.
extension TenantSettings {
    public var document: DocumentValue {
        .object(["name": .string(name), "gp": gp.document, "commerce": commerce.document, "schedule": schedule.document,
                 "posting": posting.document, "items": items.document, "customers": customers.document])
    }

    /// Settings a person should know are weaker than the defaults.
    public var warnings: [FieldIssue] {
        var w: [FieldIssue] = []
        if gp.companyURL.isInsecure {
            w.append(FieldIssue(field: "gp.company_url", code: "insecure_http", message: "GP is reached over plain http: credentials cross the network unencrypted."))
        }
        if !gp.tls.verify {
            w.append(FieldIssue(field: "gp.tls.verify", code: "tls_verify_off", message: "GP's TLS certificate is not verified."))
        }
        if commerce.baseURL.isInsecure {
            w.append(FieldIssue(field: "commerce.base_url", code: "insecure_http", message: "Commerce is reached over plain http."))
        }
        if !commerce.tls.verify {
            w.append(FieldIssue(field: "commerce.tls.verify", code: "tls_verify_off", message: "Commerce's TLS certificate is not verified."))
        }
        return w
    }
}

extension TLSSettings {
    var document: DocumentValue {
        var o: [String: DocumentValue] = ["verify": .bool(verify), "allow_insecure_http": .bool(allowInsecureHTTP)]
        if let caPEM { o["ca_pem"] = .string(caPEM) }
        return .object(o)
    }
}

extension GPSettings {
    var document: DocumentValue {
        var o: [String: DocumentValue] = [
            "company_url": .string(companyURL.normalized),
            "connection": .string(connection.rawValue),
            "auth": .string(auth.rawValue),
            "agent_credentials": .string(agentCredentials.rawValue),
            "tls": tls.document,
            "max_parallel_calls": .number(Double(maxParallelCalls)),
            "sites": .array(sites.map(DocumentValue.string)),
            "batch_prefix": .string(batchPrefix),
            "document_prefix": .string(documentPrefix),
            "sba": sba.document,
        ]
        if let username { o["username"] = .string(username) }
        if let priceLevel { o["price_level"] = .string(priceLevel) }
        if let functionalCurrency { o["functional_currency"] = .string(functionalCurrency) }
        return .object(o)
    }
}

extension CommerceSettings {
    var document: DocumentValue {
        var authDoc: [String: DocumentValue] = ["type": .string(auth.typeName)]
        if case .ims(let ims) = auth {
            authDoc["client_id"] = .string(ims.clientID)
            authDoc["org_id"] = .string(ims.orgID)
            authDoc["scopes"] = .array(ims.scopes.map(DocumentValue.string))
            authDoc["token_url"] = .string(ims.tokenURL)
        }
        var o: [String: DocumentValue] = [
            "base_url": .string(baseURL.normalized),
            "store_code": .string(storeCode),
            "auth": .object(authDoc),
            "tls": tls.document,
        ]
        if let webhookPublicKey { o["webhook_public_key"] = .string(webhookPublicKey) }
        return .object(o)
    }
}

extension ScheduleSettings {
    var document: DocumentValue {
        .object([
            "items_every_s": .number(Double(itemsEveryS)),
            "customers_every_s": .number(Double(customersEveryS)),
            "orders_backstop_every_s": .number(Double(ordersBackstopEveryS)),
        ])
    }
}

/// A stored tenant as the rest of the program sees it: id, settings, which secrets are set.
public struct Tenant: Sendable, Equatable {
    public var id: TenantID
    public var settings: TenantSettings
    public var secretFields: Set<SecretField>
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: TenantID, settings: TenantSettings, secretFields: Set<SecretField>, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.settings = settings
        self.secretFields = secretFields
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The response body for this tenant: settings plus `*_set` flags, warnings and timestamps.
    public var publicDocument: DocumentValue {
        guard case .object(var root) = settings.document,
              case .object(var gp) = root["gp"], case .object(var commerce) = root["commerce"],
              case .object(var auth) = commerce["auth"] else { return .null }
        gp[SecretField.gpPassword.flagKey] = .bool(secretFields.contains(.gpPassword))
        for field in settings.commerce.auth.secretFields {
            auth[field.flagKey] = .bool(secretFields.contains(field))
        }
        commerce["auth"] = .object(auth)
        root["gp"] = .object(gp)
        root["commerce"] = .object(commerce)
        root["id"] = .string(id.rawValue)
        root["warnings"] = .array(settings.warnings.map { w in
            .object(["field": .string(w.field), "code": .string(w.code), "message": .string(w.message)])
        })
        root["created_at"] = .string(Tenant.timestamp(createdAt))
        root["updated_at"] = .string(Tenant.timestamp(updatedAt))
        return .object(root)
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
