import Foundation
import GP

/// GP answered "duplicate document number": is the document it holds ours from an earlier
/// attempt whose answer was lost, or someone else's? Same customer, amount and currency → it was
/// ours (`alreadyPosted`); anything else, or nothing readable, is a conflict for a person. Never a
/// silent success on a mismatch.
public enum DuplicateResolution: Sendable, Equatable {
    case alreadyPosted
    case conflict(reason: String)

    /// - Parameter functionalCurrency: the currency of a document sent without one (the tenant's
    ///   functional currency, else the order's currency on a single-currency company).
    public static func decide(intended: ReceivablesInvoice, existing: ReceivablesInvoice?,
                              functionalCurrency: String? = nil) -> DuplicateResolution {
        guard let existing else {
            return .conflict(reason: "GP reported document \(intended.documentNumber) as a duplicate but it could not be read back.")
        }
        func id(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces).uppercased() }
        // A document in the functional currency may come back with the currency blank or named.
        func currency(_ s: String?) -> String {
            let c = id(s ?? "")
            return c.isEmpty ? id(functionalCurrency ?? "") : c
        }
        var differences: [String] = []
        if id(existing.customerId) != id(intended.customerId) {
            differences.append("customer \(existing.customerId.trimmed) instead of \(intended.customerId)")
        }
        if existing.documentAmount != intended.documentAmount {
            differences.append("amount \(existing.documentAmount) instead of \(intended.documentAmount)")
        }
        // A document sent without a currency is in the functional currency, whatever name GP reads
        // back for it. When one side has a currency and the other cannot be named, the match
        // cannot be proven: a conflict, never a guess.
        let ours = currency(intended.currencyId), theirs = currency(existing.currencyId)
        if ours != theirs {
            differences.append("currency \(theirs.isEmpty ? "(unnamed)" : theirs) instead of \(ours.isEmpty ? "(unnamed)" : ours)")
        }
        if differences.isEmpty { return .alreadyPosted }
        return .conflict(reason: "GP's document \(intended.documentNumber) has " + differences.joined(separator: ", ") + ".")
    }
}
