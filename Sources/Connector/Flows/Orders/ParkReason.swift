import Foundation
import GP

/// Why a record waits for a person (`needs_attention` or `conflict`) instead of being retried:
/// a stable code, one plain sentence, and what to do about it. Replaying the record after the fix
/// runs the same step again under the same dedup key.
public enum ParkReason: Error, Sendable, Equatable {
    case fiscalPeriodClosed(date: String, gpMessage: String)
    case customerOnHold(customerId: String)
    case customerInactive(customerId: String)
    case exchangeRateMissing(currency: String, detail: String)
    case unknownCustomer(customerId: String)
    case amountsDoNotAddUp(grandTotal: Decimal, sumOfParts: Decimal)
    case amountMissing(field: String)
    case documentNumberTooLong(documentNumber: String, limit: Int)
    case batchIdTooLong(batchId: String, limit: Int)
    case noGuestCustomer(email: String?)
    case customerIdTooLong(customerId: String, limit: Int)
    /// GP already holds a different document under our number.
    case duplicateConflict(documentNumber: String, detail: String)
    /// The order never appeared in Commerce within the wait (a `place_before` hook for an order
    /// that was then not placed).
    case orderNeverAppeared(incrementId: String)
    /// Any other permanent GP rejection, with GP's code and words.
    case gpRejected(code: String, message: String, fix: String)
    /// Commerce refused to give the order (credentials, permissions): retrying will not help.
    case commerceRefused(code: String, message: String)

    public var code: String {
        switch self {
        case .fiscalPeriodClosed: "fiscal_period_closed"
        case .customerOnHold: "customer_on_hold"
        case .customerInactive: "customer_inactive"
        case .exchangeRateMissing: "exchange_rate_missing"
        case .unknownCustomer: "unknown_customer"
        case .amountsDoNotAddUp: "amounts_do_not_add_up"
        case .amountMissing: "amount_missing"
        case .documentNumberTooLong: "document_number_too_long"
        case .batchIdTooLong: "batch_id_too_long"
        case .noGuestCustomer: "no_guest_customer"
        case .customerIdTooLong: "customer_id_too_long"
        case .duplicateConflict: "duplicate_conflict"
        case .orderNeverAppeared: "order_never_appeared"
        case .gpRejected(let code, _, _): code
        case .commerceRefused(let code, _): code
        }
    }

    public var message: String {
        switch self {
        case .fiscalPeriodClosed(let date, let gp):
            "GP refused the document dated \(date): the fiscal period is closed for Sales." + Self.quote(gp)
        case .customerOnHold(let id): "GP customer \(id) is on hold, so GP refuses new documents for it."
        case .customerInactive(let id): "GP customer \(id) is inactive, so GP refuses new documents for it."
        case .exchangeRateMissing(let currency, let detail):
            "No exchange rate for \(currency) to the functional currency: \(detail)"
        case .unknownCustomer(let id): "GP has no customer \(id)."
        case .amountsDoNotAddUp(let total, let sum):
            "The order's parts (sales + freight + tax = \(sum)) differ from its grand total \(total) by \(sum - total)."
        case .amountMissing(let field): "The Commerce document has no \(field)."
        case .documentNumberTooLong(let number, let limit):
            "The GP document number \(number) has \(number.count) characters; GP allows \(limit)."
        case .batchIdTooLong(let batch, let limit):
            "The GP batch id \(batch) has \(batch.count) characters; GP allows \(limit)."
        case .noGuestCustomer(let email):
            "No GP customer matches this order\(email.map { " (\($0))" } ?? "") and the tenant has no guest customer."
        case .customerIdTooLong(let id, let limit):
            "The GP customer id \(id) has \(id.count) characters; GP allows \(limit)."
        case .duplicateConflict(let number, let detail):
            "GP already holds a different document numbered \(number): \(detail)"
        case .orderNeverAppeared(let id): "Order \(id) never appeared in Commerce; it was probably not placed."
        case .gpRejected(_, let message, _): message
        case .commerceRefused(_, let message): message
        }
    }

    public var suggestedFix: String {
        switch self {
        case .fiscalPeriodClosed: "Reopen the period for Sales in GP (Fiscal Periods Setup), then replay the record."
        case .customerOnHold: "Release the hold in GP (Customer Maintenance), then replay the record."
        case .customerInactive: "Make the customer active in GP, or map the order to another customer, then replay."
        case .exchangeRateMissing: "Enter the rate for the document date in GP's exchange rate table (or fix the order's currency), then replay."
        case .unknownCustomer: "Create the customer in GP or correct the GP id on the Commerce customer, then replay."
        case .amountsDoNotAddUp: "Check the order's discount, shipping and tax in Commerce; post it by hand if Commerce's totals are right."
        case .amountMissing: "Check the order in Commerce; replay once its totals are present."
        case .documentNumberTooLong: "Shorten the tenant's document prefix (gp.document_prefix), then replay."
        case .batchIdTooLong: "Shorten the tenant's batch prefix or use the yyMMdd batch date format, then replay."
        case .noGuestCustomer: "Set the tenant's posting.guest_customer_id (PATCH /v1/tenants/{tenant}), or put the GP id on the Commerce customer, then replay."
        case .customerIdTooLong: "Correct the GP id stored on the Commerce customer (at most 15 characters), then replay."
        case .duplicateConflict: "Compare the GP document with the order; void or renumber one of them, then replay."
        case .orderNeverAppeared: "Nothing to do if the order was abandoned; replay the record if it appears later."
        case .gpRejected(_, _, let fix): fix
        case .commerceRefused: "Check the tenant's Commerce credentials and the integration's API permissions (Sales), then replay."
        }
    }

    /// The record status a parked record takes.
    public var status: RecordStatus {
        if case .duplicateConflict = self { return .conflict }
        if case .orderNeverAppeared = self { return .abandoned }
        return .needsAttention
    }

    /// The park reason for a permanent GP error; nil for a retryable one (retry with backoff) and
    /// for a duplicate document (resolve with `DuplicateResolution` first).
    public static func from(_ error: GPError, documentDate: String = "") -> ParkReason? {
        if error.isRetryable { return nil }
        switch error {
        case .duplicateDocument: return nil
        case .fiscalPeriodClosed(let s): return .fiscalPeriodClosed(date: documentDate, gpMessage: s)
        case .customerOnHold(let id, _): return .customerOnHold(customerId: id)
        case .customerInactive(let id, _): return .customerInactive(customerId: id)
        case .unknownCustomer(let id, _): return .unknownCustomer(customerId: id)
        case .exchangeRateMissing(let cur, let s): return .exchangeRateMissing(currency: cur, detail: s.isEmpty ? "GP has none for the document date." : s)
        default: return .gpRejected(code: error.code, message: error.message, fix: error.suggestedFix)
        }
    }

    static func quote(_ s: String) -> String { s.isEmpty ? "" : " GP said: \(s)" }
}
