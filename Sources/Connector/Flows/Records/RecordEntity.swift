/// What a record of a synced thing is: an item, a customer, or an order (orders and their
/// invoices share one record: the order's increment id is the source key).
public enum RecordEntity: String, Sendable, Codable, CaseIterable {
    case item, customer, order, invoice
}
