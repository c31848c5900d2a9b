import Commerce

/// Writes products to Commerce.
///
/// Throws for failures that concern the whole run and should be retried later (rate limiting,
/// 5xx, network); returns `.rejected` for a product Commerce refused (it is recorded as failed and
/// the run goes on).
public protocol ProductWriter {
    /// One upsert per product (`PUT /V1/products/{sku}`), outcomes in input order.
    func upsert(_ products: [CommerceProduct]) throws -> [ProductWriteOutcome]
    /// The async bulk endpoint, followed to each operation's outcome, in input order.
    func bulkUpsert(_ products: [CommerceProduct]) throws -> [ProductWriteOutcome]
}

/// What one product write came to.
public enum ProductWriteOutcome: Sendable, Equatable {
    case written
    case rejected(RecordError)
}
