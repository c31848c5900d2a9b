import GP

/// `ReceivablesPoster` over `GPClient`.
public struct GPReceivablesPoster: ReceivablesPoster {
    public let client: GPClient

    public init(client: GPClient) { self.client = client }

    public func create(_ invoice: ReceivablesInvoice) throws(GPError) { try client.createReceivablesInvoice(invoice) }

    public func document(number: String) throws(GPError) -> ReceivablesInvoice? {
        try client.receivablesInvoice(documentNumber: number)
    }
}
