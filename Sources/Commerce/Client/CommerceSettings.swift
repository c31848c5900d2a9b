/// A tenant's Commerce connection: where, which flavour, which credentials, and the knobs the
/// reference marks UNCONFIRMED (each with its documented default).
public struct CommerceSettings: Sendable {
    /// PaaS (on-prem, Commerce on Cloud): `/rest/<store_code>/V1/…`, OAuth 1.0a.
    /// SaaS (Adobe Commerce as a Cloud Service): `/<tenant_id>/V1/…` with a `Store` header, IMS.
    public enum Flavour: Sendable, Equatable {
        case paas(storeCode: String)
        case saas(tenantId: String, store: String)
    }

    public enum Auth: Sendable {
        case oauth1(OAuth1Credentials)
        case ims(IMSCredentials)
    }

    /// `https://shop.example.com` (PaaS) or `https://na1.api.commerce.adobe.com` (SaaS); no trailing path.
    public var baseURL: String
    public var flavour: Flavour
    public var auth: Auth
    /// Parameter order in the OAuth base string (see `OAuth1Signer.ParameterOrder`).
    public var oauthParameterOrder: OAuth1Signer.ParameterOrder
    /// Page size of the paging helpers (Magento caps at 300 when input limits are on).
    public var pageSize: Int
    /// Seconds to wait after a 429 without a readable `Retry-After` (Adobe's client uses 5).
    public var defaultRetryAfter: Double
    /// 429s retried inside one call when `Retry-After` ≤ `maxInlineRetryWait`; beyond that the
    /// error goes up so the job queue schedules the retry (a worker never sleeps for long).
    public var inlineRateLimitRetries: Int
    public var maxInlineRetryWait: Double
    /// Invoice `state` meaning paid (UNCONFIRMED: 1 open, 2 paid, 3 canceled).
    public var invoicePaidState: Int

    public init(baseURL: String, flavour: Flavour = .paas(storeCode: "default"), auth: Auth,
                oauthParameterOrder: OAuth1Signer.ParameterOrder = .bytewise, pageSize: Int = 100,
                defaultRetryAfter: Double = 5, inlineRateLimitRetries: Int = 1, maxInlineRetryWait: Double = 2,
                invoicePaidState: Int = 2) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.flavour = flavour
        self.auth = auth
        self.oauthParameterOrder = oauthParameterOrder
        self.pageSize = pageSize
        self.defaultRetryAfter = defaultRetryAfter
        self.inlineRateLimitRetries = inlineRateLimitRetries
        self.maxInlineRetryWait = maxInlineRetryWait
        self.invoicePaidState = invoicePaidState
    }
}
