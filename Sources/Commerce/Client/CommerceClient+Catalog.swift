import Foundation

extension CommerceClient {
    /// `GET /V1/products/{sku}`; nil when the SKU does not exist (404).
    public func product(sku: String) throws(CommerceError) -> CommerceProduct? {
        do {
            return try decode(CommerceProduct.self, perform("GET", url("products/" + Self.segment(sku))))
        } catch .notFound {
            return nil
        }
    }

    /// `PUT /V1/products/{sku}`: Magento's save looks the SKU up and merges, so this is an
    /// upsert; the path SKU wins over the body's.
    public func upsertProduct(_ product: CommerceProduct, saveOptions: Bool? = nil) throws(CommerceError) -> CommerceProduct {
        struct Body: Encodable { var product: CommerceProduct; var saveOptions: Bool? }
        let body = try encode(Body(product: product, saveOptions: saveOptions))
        return try decode(CommerceProduct.self, perform("PUT", url("products/" + Self.segment(product.sku)), body: body))
    }

    /// `GET /V1/products?searchCriteria…` (one page).
    public func searchProducts(_ criteria: SearchCriteria) throws(CommerceError) -> CommerceSearchResult<CommerceProduct> {
        try decode(CommerceSearchResult<CommerceProduct>.self, perform("GET", url("products", query: criteria.queryItems)))
    }

    /// `POST …/async/bulk/V1/products` with `[{"product": …}, …]`. Accepted at once; poll
    /// `bulkStatus(uuid:)`. On PaaS nothing happens until a consumer runs.
    public func bulkUpsertProducts(_ products: [CommerceProduct]) throws(CommerceError) -> CommerceBulkAccepted {
        struct Operation: Encodable { var product: CommerceProduct }
        let body = try encode(products.map(Operation.init))
        return try decode(CommerceBulkAccepted.self, perform("POST", url("products", route: .asyncBulk), body: body))
    }

    /// `GET /V1/bulk/{uuid}/status`.
    public func bulkStatus(uuid: String) throws(CommerceError) -> CommerceBulkStatus {
        try decode(CommerceBulkStatus.self, perform("GET", url("bulk/" + Self.segment(uuid) + "/status")))
    }

    /// `GET /V1/customers/search`, one page.
    public func searchCustomers(_ criteria: SearchCriteria) throws(CommerceError) -> CommerceSearchResult<CommerceCustomer> {
        try decode(CommerceSearchResult<CommerceCustomer>.self, perform("GET", url("customers/search", query: criteria.queryItems)))
    }

    /// The customer with this email (case-insensitive in Magento) in `websiteId`, if any. The
    /// same email may exist once per website, hence the website filter.
    public func customer(email: String, websiteId: Int? = nil) throws(CommerceError) -> CommerceCustomer? {
        var criteria = SearchCriteria().filter("email", .eq, email)
        if let websiteId { criteria = criteria.filter("website_id", .eq, String(websiteId)) }
        return try searchCustomers(criteria.page(1, size: 2)).items.first
    }

    /// `GET /V1/customers/{id}`; nil on 404.
    public func customer(id: Int) throws(CommerceError) -> CommerceCustomer? {
        do {
            return try decode(CommerceCustomer.self, perform("GET", url("customers/\(id)")))
        } catch .notFound {
            return nil
        }
    }

    /// `POST /V1/customers`. A duplicate email in the website → `.rejected` (400).
    public func createCustomer(_ customer: CommerceCustomer) throws(CommerceError) -> CommerceCustomer {
        struct Body: Encodable { var customer: CommerceCustomer }
        return try decode(CommerceCustomer.self, perform("POST", url("customers"), body: encode(Body(customer: customer))))
    }

    /// `PUT /V1/customers/{id}` (the path id wins over `customer.id`).
    public func updateCustomer(id: Int, _ customer: CommerceCustomer) throws(CommerceError) -> CommerceCustomer {
        struct Body: Encodable { var customer: CommerceCustomer }
        var copy = customer
        copy.id = id
        return try decode(CommerceCustomer.self, perform("PUT", url("customers/\(id)"), body: encode(Body(customer: copy))))
    }
}
