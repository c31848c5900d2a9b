import GP

/// Where receivables documents go. Throws `GPError`.
public protocol ReceivablesPoster {
    func create(_ invoice: ReceivablesInvoice) throws(GPError)
    /// The document GP holds under this number; nil when none.
    func document(number: String) throws(GPError) -> ReceivablesInvoice?
}
