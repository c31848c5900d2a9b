import Foundation

/// Everything that can go wrong talking to GP, as stable codes a person and the queue can act on.
///
/// `isRetryable` decides the queue's reaction: a retryable error is tried again with backoff; a
/// permanent one parks the record as needs-attention with `message` and `suggestedFix`, because
/// retrying a closed fiscal period or an unknown customer cannot succeed until a person acts.
/// `serverMessage` texts come from GP's own error body (size-capped); they never hold our secrets.
public enum GPError: Error, Sendable, Equatable {
    case duplicateDocument(documentNumber: String, serverMessage: String)
    case fiscalPeriodClosed(serverMessage: String)
    case customerOnHold(customerId: String, serverMessage: String)
    case customerInactive(customerId: String, serverMessage: String)
    case unknownCustomer(customerId: String, serverMessage: String)
    case unknownItem(itemNumber: String, serverMessage: String)
    case exchangeRateMissing(currencyId: String, serverMessage: String)
    case documentAmountMismatch(serverMessage: String)
    /// Any other validation rejection (400/422) of a write.
    case validation(serverMessage: String)
    /// 401: the user name or password was refused.
    case authenticationFailed
    /// 403: the user is known but not mapped to a GP user with access to this company.
    case accessDenied(serverMessage: String)
    /// 404 on the company or a list: wrong company name or resource path.
    case companyNotFound(company: String, serverMessage: String)
    /// 404 on one keyed record (reads return nil instead of throwing this).
    case notFound(resource: String)
    /// 500/502/503/504: the GP Service or its Dexterity session is restarting or failing.
    case serviceUnavailable(status: Int, serverMessage: String)
    /// Any other unexpected HTTP status.
    case unexpectedStatus(status: Int, serverMessage: String)
    /// No answer within the request timeout.
    case timeout(seconds: Double)
    /// DNS failure, connection refused or reset.
    case unreachable(detail: String)
    /// The TLS handshake or certificate check failed.
    case tlsFailed(detail: String)
    /// GP answered 2xx with a body we could not read.
    case badResponse(detail: String)
    /// The tenant's company URL cannot be used.
    case invalidCompanyURL(String)
    /// A value we were asked to send breaks a GP rule before any call (e.g. a key too long).
    case invalidRequest(String)
    /// The tenant's GP call slots stayed busy longer than allowed.
    case throttled(tenant: String, waitedSeconds: Double)
    /// The throttle itself failed (e.g. its database was unreachable).
    case callGateFailed(detail: String)
    /// The tenant reaches GP through its local agent, and no agent took the call in time or the
    /// agent went away before answering.
    case agentOffline(detail: String)

    /// Stable snake_case identifier.
    public var code: String {
        switch self {
        case .duplicateDocument: "gp_duplicate_document"
        case .fiscalPeriodClosed: "gp_fiscal_period_closed"
        case .customerOnHold: "gp_customer_on_hold"
        case .customerInactive: "gp_customer_inactive"
        case .unknownCustomer: "gp_unknown_customer"
        case .unknownItem: "gp_unknown_item"
        case .exchangeRateMissing: "gp_exchange_rate_missing"
        case .documentAmountMismatch: "gp_document_amount_mismatch"
        case .validation: "gp_validation_failed"
        case .authenticationFailed: "gp_authentication_failed"
        case .accessDenied: "gp_access_denied"
        case .companyNotFound: "gp_company_not_found"
        case .notFound: "gp_not_found"
        case .serviceUnavailable: "gp_service_unavailable"
        case .unexpectedStatus: "gp_unexpected_status"
        case .timeout: "gp_timeout"
        case .unreachable: "gp_unreachable"
        case .tlsFailed: "gp_tls_failed"
        case .badResponse: "gp_bad_response"
        case .invalidCompanyURL: "gp_invalid_company_url"
        case .invalidRequest: "gp_invalid_request"
        case .throttled: "gp_throttled"
        case .callGateFailed: "gp_call_gate_failed"
        case .agentOffline: "gp_agent_offline"
        }
    }

    /// True when the same call may succeed later without anyone changing anything.
    public var isRetryable: Bool {
        switch self {
        case .serviceUnavailable, .timeout, .unreachable, .throttled, .callGateFailed, .agentOffline: true
        case .unexpectedStatus(let status, _): status == 429 || status == 408
        default: false
        }
    }

    /// One human sentence about what happened.
    public var message: String {
        switch self {
        case .duplicateDocument(let n, let s): "GP already has a receivables document numbered \(n)." + Self.quote(s)
        case .fiscalPeriodClosed(let s): "GP refused the document: its fiscal period is closed for Sales." + Self.quote(s)
        case .customerOnHold(let c, let s): "GP customer \(c) is on hold." + Self.quote(s)
        case .customerInactive(let c, let s): "GP customer \(c) is inactive." + Self.quote(s)
        case .unknownCustomer(let c, let s): "GP has no customer \(c)." + Self.quote(s)
        case .unknownItem(let i, let s): "GP has no item \(i)." + Self.quote(s)
        case .exchangeRateMissing(let cur, let s): "GP has no exchange rate for currency \(cur) on the document date." + Self.quote(s)
        case .documentAmountMismatch(let s): "GP refused the document: its amount is not sales + freight + misc + tax − trade discount." + Self.quote(s)
        case .validation(let s): "GP rejected the request." + Self.quote(s)
        case .authenticationFailed: "GP refused the user name or password (HTTP 401)."
        case .accessDenied(let s): "The GP user has no access to this company or window (HTTP 403)." + Self.quote(s)
        case .companyNotFound(let c, let s): "GP answered 404 for company \(c)." + Self.quote(s)
        case .notFound(let r): "GP has no \(r)."
        case .serviceUnavailable(let st, let s): "The GP Service is unavailable (HTTP \(st))." + Self.quote(s)
        case .unexpectedStatus(let st, let s): "GP answered HTTP \(st)." + Self.quote(s)
        case .timeout(let sec): "GP did not answer within \(Int(sec)) seconds."
        case .unreachable(let d): "GP could not be reached: \(d)."
        case .tlsFailed(let d): "The TLS connection to GP failed: \(d)."
        case .badResponse(let d): "GP's answer could not be read: \(d)."
        case .invalidCompanyURL(let d): "The GP company URL is not usable: \(d)."
        case .invalidRequest(let d): "The request breaks a GP rule: \(d)."
        case .throttled(let t, let w): "All GP call slots of tenant \(t) stayed busy for \(Int(w)) seconds."
        case .callGateFailed(let d): "The GP call throttle failed: \(d)."
        case .agentOffline(let d): "The tenant's local agent did not answer: \(d)."
        }
    }

    /// What a person can do about it.
    public var suggestedFix: String {
        switch self {
        case .duplicateDocument: "Read the document back: if customer and amount match, it was already posted; otherwise renumber it."
        case .fiscalPeriodClosed: "Reopen the period for the Sales series in GP (Fiscal Periods Setup), then replay."
        case .customerOnHold: "Release the hold on the customer in GP (Customer Maintenance), then replay."
        case .customerInactive: "Reactivate the customer in GP or map the order to another customer, then replay."
        case .unknownCustomer: "Create the customer in GP or fix the customer mapping, then replay."
        case .unknownItem: "Create the item in GP or fix the SKU mapping, then replay."
        case .exchangeRateMissing: "Enter an exchange rate for the currency and date in GP (or send ExchangeRate), then replay."
        case .documentAmountMismatch: "Check the tax, freight and discount mapping of the order, then replay."
        case .validation: "Read GP's message, fix the data or mapping, then replay."
        case .authenticationFailed: "Check the tenant's GP user name (DOMAIN\\user), password and auth type (NTLM, Negotiate or Basic)."
        case .accessDenied: "Map the Windows user to a GP user with access to the company (User Setup, User Access Setup)."
        case .companyNotFound: "Check the company name in the company URL and the resource paths in the tenant's GP settings against the server's /help page."
        case .notFound: "Check the key; the record may have been deleted in GP."
        case .serviceUnavailable: "Wait for the GP Service and Dexterity sessions to restart; the call is retried."
        case .unexpectedStatus: "Check the GP Service logs and the tenant's GP settings."
        case .timeout: "GP may be busy posting; the call is retried. Raise the request timeout if it keeps happening."
        case .unreachable: "Check the host name, port, firewall, and that the GP Service is running; use the local agent if GP is not reachable from here."
        case .tlsFailed: "Give the tenant the CA certificate (PEM) that signed GP's certificate, and make the host name match it."
        case .badResponse: "Check the envelope and path settings against the server's /help page."
        case .invalidCompanyURL: "Use the full URL, e.g. https://gp.example.com/GPService/Tenants(DefaultTenant)/Companies(Fabrikam%2C%20Inc.)/"
        case .invalidRequest: "Fix the value in the mapping or settings."
        case .throttled: "Raise the tenant's max parallel GP calls or wait; the call is retried."
        case .callGateFailed: "Check the database the throttle uses; the call is retried."
        case .agentOffline: "Check that `ml-connector agent` runs for this tenant and can reach this server (GET the tenant: agent.last_seen); the call is retried."
        }
    }

    static func quote(_ s: String) -> String {
        s.isEmpty ? "" : " GP said: \(s)"
    }
}

extension GPError: CustomStringConvertible {
    public var description: String { "\(code): \(message)" }
}
