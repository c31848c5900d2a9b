import Foundation

extension CommerceClient {
    /// `GET /V1/orders/{entity_id}`; nil on 404.
    public func order(id: Int) throws(CommerceError) -> CommerceOrder? {
        do {
            return try decode(CommerceOrder.self, perform("GET", url("orders/\(id)")))
        } catch .notFound {
            return nil
        }
    }

    /// The order with this `increment_id` (what webhooks and dedup keys carry), if any.
    public func order(incrementId: String) throws(CommerceError) -> CommerceOrder? {
        try searchOrders(SearchCriteria().filter("increment_id", .eq, incrementId).page(1, size: 1)).items.first
    }

    public func searchOrders(_ criteria: SearchCriteria) throws(CommerceError) -> CommerceSearchResult<CommerceOrder> {
        try decode(CommerceSearchResult<CommerceOrder>.self, perform("GET", url("orders", query: criteria.queryItems)))
    }

    /// Every order with `updated_at` in `[since, until)` (Magento timestamps), oldest first,
    /// page by page; `body` sees each page and may stop by returning false.
    public func ordersUpdated(since: String, until: String? = nil,
                              _ body: ([CommerceOrder]) throws -> Bool) throws -> Int {
        try pages(updatedCriteria(since: since, until: until), fetch: searchOrders, body)
    }

    /// `GET /V1/invoices/{id}`; nil on 404.
    public func invoice(id: Int) throws(CommerceError) -> CommerceInvoice? {
        do {
            return try decode(CommerceInvoice.self, perform("GET", url("invoices/\(id)")))
        } catch .notFound {
            return nil
        }
    }

    public func searchInvoices(_ criteria: SearchCriteria) throws(CommerceError) -> CommerceSearchResult<CommerceInvoice> {
        try decode(CommerceSearchResult<CommerceInvoice>.self, perform("GET", url("invoices", query: criteria.queryItems)))
    }

    public func invoicesUpdated(since: String, until: String? = nil,
                                _ body: ([CommerceInvoice]) throws -> Bool) throws -> Int {
        try pages(updatedCriteria(since: since, until: until), fetch: searchInvoices, body)
    }

    func updatedCriteria(since: String, until: String?) -> SearchCriteria {
        var criteria = SearchCriteria().filter("updated_at", .gteq, since)
        if let until { criteria = criteria.filter("updated_at", .lt, until) }
        return criteria.sorted(by: "updated_at").sorted(by: "entity_id")
    }

    /// Walks pages 1, 2, … and stops at `total_count` (never on an empty page: Magento answers
    /// a page past the end with the last page again). Returns the number of items seen.
    public func pages<Item>(_ criteria: SearchCriteria,
                            fetch: (SearchCriteria) throws(CommerceError) -> CommerceSearchResult<Item>,
                            _ body: ([Item]) throws -> Bool) throws -> Int {
        var page = 1
        var seen = 0
        let size = criteria.pageSize ?? settings.pageSize
        while true {
            let result = try fetch(criteria.page(page, size: size))
            seen += result.items.count
            guard try body(result.items),
                  SearchCriteria.hasMorePages(after: page, pageSize: size, totalCount: result.totalCount) else { return seen }
            page += 1
        }
    }

    /// A cheap authenticated call (a one-row product search) that needs the catalog ACL,
    /// with its latency; never throws.
    public func ping() -> CommercePing {
        let started = DispatchTime.now()
        do {
            _ = try searchProducts(SearchCriteria().page(1, size: 1))
            return CommercePing(ok: true, latencyMs: Self.elapsedMs(since: started), error: nil)
        } catch {
            return CommercePing(ok: false, latencyMs: Self.elapsedMs(since: started), error: error)
        }
    }

    static func elapsedMs(since start: DispatchTime) -> Int {
        Int((DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000)
    }
}
