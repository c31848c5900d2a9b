import Commerce

/// `CustomerWriter` over `CommerceClient`.
public struct CommerceCustomerWriter: CustomerWriter {
    public let client: CommerceClient

    public init(client: CommerceClient) { self.client = client }

    public func find(email: String, websiteId: Int) throws -> CommerceCustomer? {
        try client.customer(email: email, websiteId: websiteId)
    }

    public func create(_ customer: CommerceCustomer) throws -> CustomerWriteOutcome {
        try outcome { () throws(CommerceError) in try client.createCustomer(customer) }
    }

    public func update(id: Int, _ customer: CommerceCustomer) throws -> CustomerWriteOutcome {
        var body = customer
        body.id = id
        return try outcome { () throws(CommerceError) in try client.updateCustomer(id: id, body) }
    }

    func outcome(_ call: () throws(CommerceError) -> CommerceCustomer) throws -> CustomerWriteOutcome {
        do {
            let saved = try call()
            guard let id = saved.id else {
                return .rejected(RecordError(code: "commerce_no_id", message: "Commerce saved the customer but returned no id."))
            }
            return .written(id: id)
        } catch .notFound {
            return .missing
        } catch {
            if error.isRetryable { throw error }
            return .rejected(RecordError(code: error.code, message: error.message))
        }
    }
}
