import Foundation

/// How posting a receivables invoice ended.
public enum GPPostOutcome: Sendable, Equatable {
    /// GP accepted the document now.
    case created
    /// GP already had this document number, and the document it holds has the same customer,
    /// amount and currency: an earlier attempt (whose answer was lost) posted it.
    case alreadyPosted(ReceivablesInvoice)
}

extension GPClient {
    /// Creates an RM invoice: `POST …/Sales/Receivables/Transactions` (path from settings) with
    /// the body wrapped in the envelope. Checks GP's length and arithmetic rules first.
    public func createReceivablesInvoice(_ invoice: ReceivablesInvoice) throws(GPError) {
        try invoice.validate()
        let body = try GPEnvelope.encode(invoice, settings: settings)
        let path = settings.paths.receivablesTransactions
        let context = GPCallContext(kind: .write, resource: path, company: company.name,
                                    documentNumber: invoice.documentNumber, customerId: invoice.customerId,
                                    currencyId: invoice.currencyId)
        _ = try perform(request("POST", company.resourceURL(path, settings: settings), body: body), context: context)
    }

    /// Reads one receivables document back by number; nil when GP has none.
    public func receivablesInvoice(documentNumber: String) throws(GPError) -> ReceivablesInvoice? {
        let keys: [String] = switch settings.receivablesKey {
        case .documentNumber: [documentNumber]
        case .typeAndNumber: [String(ReceivablesInvoice.invoiceDocumentType), documentNumber]
        }
        return try readOne(ReceivablesInvoice.self, settings.paths.receivablesTransactions, keys: keys)
    }

    /// Posts exactly once. GP has no idempotency key and rejects a reused document number, so a
    /// retry after a lost answer gets "duplicate": the document is then read back and accepted
    /// as `.alreadyPosted` only if customer, document amount and currency match. A duplicate that
    /// does not match is rethrown: it is a conflict for a person, never a silent success.
    public func postReceivablesInvoice(_ invoice: ReceivablesInvoice) throws(GPError) -> GPPostOutcome {
        do {
            try createReceivablesInvoice(invoice)
            return .created
        } catch .duplicateDocument(let number, let serverMessage) {
            guard let existing = try receivablesInvoice(documentNumber: invoice.documentNumber),
                  existing.isSameDocument(as: invoice) else {
                throw .duplicateDocument(documentNumber: number.isEmpty ? invoice.documentNumber : number,
                                         serverMessage: serverMessage)
            }
            return .alreadyPosted(existing)
        }
    }
}

extension ReceivablesInvoice {
    /// Same document for exactly-once purposes: number, customer, amount and currency agree
    /// (GP pads IDs with spaces and upper-cases some; compare case-insensitively, trimmed).
    public func isSameDocument(as other: ReceivablesInvoice) -> Bool {
        func norm(_ s: String?) -> String { (s ?? "").trimmingCharacters(in: .whitespaces).uppercased() }
        return norm(documentNumber) == norm(other.documentNumber)
            && norm(customerId) == norm(other.customerId)
            && documentAmount == other.documentAmount
            && norm(currencyId) == norm(other.currencyId)
    }
}
