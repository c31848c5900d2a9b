import Foundation
import GP

/// GP answered "duplicate document number": is the document it holds ours from an earlier
/// attempt whose answer was lost, or someone else's? Same customer, amount and currency → it was
/// ours (`alreadyPosted`); anything else, or nothing readable, is a conflict for a person. Never a
/// silent success on a mismatch.
public enum DuplicateResolution: Sendable, Equatable {
    case alreadyPosted
    case conflict(reason: String)

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
        // A document we sent without a currency is in the functional currency, whatever name GP
        // reads back for it; compare only when both sides name one (or the functional one is known).
        let ours = currency(intended.currencyId), theirs = currency(existing.currencyId)
        if !ours.isEmpty && !theirs.isEmpty && ours != theirs {
            differences.append("currency \(currency(existing.currencyId)) instead of \(currency(intended.currencyId))")
        }
        if differences.isEmpty { return .alreadyPosted }
        return .conflict(reason: "GP's document \(intended.documentNumber) has " + differences.joined(separator: ", ") + ".")
    }
}
