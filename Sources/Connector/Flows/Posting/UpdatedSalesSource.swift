import Commerce

/// Orders and invoices changed in Commerce, for the backstop poll.
public protocol UpdatedSalesSource {
    /// Orders with `updated_at` in `[since, until)` (Magento timestamps), page by page.
    func ordersUpdated(since: String, until: String, _ page: ([CommerceOrder]) throws -> Void) throws
    func invoicesUpdated(since: String, until: String, _ page: ([CommerceInvoice]) throws -> Void) throws
    /// The order an invoice belongs to (for its increment id).
    func order(id: Int) throws -> CommerceOrder?
}
