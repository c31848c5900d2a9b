import Foundation

/// A GP record that carries GP's date-only modified date.
public protocol GPModifiedRecord: Decodable, Sendable {
    var modifiedDate: GPDate? { get }
}

extension GPItem: GPModifiedRecord {}
extension GPItemPrice: GPModifiedRecord {}
extension GPItemSite: GPModifiedRecord {}
extension GPCustomer: GPModifiedRecord {}
extension GPCustomerAddress: GPModifiedRecord {}

/// What a paged read did, for progress and the watermark.
public struct GPReadSummary: Sendable, Equatable {
    /// Pages handed to the caller (each at most `settings.pageSize` records).
    public var pages = 0
    /// Records GP returned.
    public var recordsRead = 0
    /// Records handed to the caller after the client-side filters.
    public var recordsDelivered = 0
    /// HTTP calls made.
    public var requests = 0
    /// The first day actually read: the watermark minus the overlap; nil for a full read.
    public var readFrom: GPDate?
    /// The newest modified date among delivered records: the next watermark once all pages are
    /// recorded.
    public var newestModified: GPDate?
}

extension GPClient {
    /// Inventory items changed on or after `modifiedSince` minus the overlap (all when nil),
    /// handed to `onPage` in pages of at most `settings.pageSize`.
    @discardableResult
    public func readItems(modifiedSince: GPDate? = nil, onPage: ([GPItem]) throws -> Void) throws -> GPReadSummary {
        try readList(settings.paths.items, modifiedSince: modifiedSince, where: { _ in true }, onPage: onPage)
    }

    /// Prices of the tenant's price level (`priceLevel`, e.g. `RETAIL`); the level is filtered
    /// on this side because SBA's query parameters are unknown.
    @discardableResult
    public func readItemPrices(priceLevel: String, modifiedSince: GPDate? = nil,
                               onPage: ([GPItemPrice]) throws -> Void) throws -> GPReadSummary {
        let level = priceLevel.uppercased()
        return try readList(settings.paths.itemPriceLists, modifiedSince: modifiedSince,
                            where: { $0.priceLevel.uppercased() == level }, onPage: onPage)
    }

    /// Item quantities per site; `sites` keeps only the tenant's mapped sites (all when nil).
    @discardableResult
    public func readItemSites(sites: Set<String>? = nil, modifiedSince: GPDate? = nil,
                              onPage: ([GPItemSite]) throws -> Void) throws -> GPReadSummary {
        let wanted = sites.map { Set($0.map { $0.uppercased() }) }
        return try readList(settings.paths.itemSites, modifiedSince: modifiedSince,
                            where: { wanted?.contains($0.siteId.uppercased()) ?? true }, onPage: onPage)
    }

    @discardableResult
    public func readCustomers(modifiedSince: GPDate? = nil, onPage: ([GPCustomer]) throws -> Void) throws -> GPReadSummary {
        try readList(settings.paths.customers, modifiedSince: modifiedSince, where: { _ in true }, onPage: onPage)
    }

    @discardableResult
    public func readCustomerAddresses(modifiedSince: GPDate? = nil,
                                      onPage: ([GPCustomerAddress]) throws -> Void) throws -> GPReadSummary {
        try readList(settings.paths.customerAddresses, modifiedSince: modifiedSince, where: { _ in true }, onPage: onPage)
    }

    /// One item by number; nil when GP has none.
    public func item(_ itemNumber: String) throws(GPError) -> GPItem? {
        try readOne(GPItem.self, settings.paths.items, keys: [itemNumber])
    }

    /// One customer by id; nil when GP has none.
    public func customer(_ customerId: String) throws(GPError) -> GPCustomer? {
        try readOne(GPCustomer.self, settings.paths.customers, keys: [customerId])
    }

    /// One customer address by composite key `(customer;address)`; nil when GP has none.
    public func customerAddress(customerId: String, addressId: String) throws(GPError) -> GPCustomerAddress? {
        try readOne(GPCustomerAddress.self, settings.paths.customerAddresses, keys: [customerId, addressId])
    }

    func readOne<T: Decodable>(_ type: T.Type, _ path: String, keys: [String]) throws(GPError) -> T? {
        let url = company.resourceURL(path, keys: keys, settings: settings)
        let context = GPCallContext(kind: .read, resource: "\(path)(\(keys.joined(separator: ";")))", company: company.name)
        do {
            let response = try perform(request("GET", url), context: context)
            return try GPEnvelope.decodeOne(type, from: response.body, settings: settings)
        } catch .notFound {
            return nil
        }
    }

    /// The paging engine. Records are decoded one by one from each answer, filtered (modified
    /// date ≥ watermark − overlap; records without a date are kept), and handed out in pages of
    /// exactly `pageSize` (the last may be shorter), so at most two pages of records are alive.
    /// `onPage` runs outside the GP call slot: a slow consumer does not hold GP capacity.
    func readList<T: GPModifiedRecord>(_ path: String, modifiedSince: GPDate?, where keep: (T) -> Bool,
                                       onPage: ([T]) throws -> Void) throws -> GPReadSummary {
        let pageSize = settings.pageSize
        let from = modifiedSince.map { $0.adding(days: -settings.modifiedOverlapDays) }
        var summary = GPReadSummary()
        summary.readFrom = from
        var baseQuery: [(String, String)] = []
        if settings.serverModifiedFilter, let from {
            baseQuery.append((settings.modifiedSinceParameter, from.description))
        }
        let context = GPCallContext(kind: .list, resource: path, company: company.name)
        var pending: [T] = []
        pending.reserveCapacity(pageSize)

        func flush(all: Bool) throws {
            while pending.count >= pageSize || (all && !pending.isEmpty) {
                let n = min(pageSize, pending.count)
                let page = Array(pending.prefix(n))
                pending.removeFirst(n)
                summary.pages += 1
                summary.recordsDelivered += page.count
                try onPage(page)
            }
        }
        func take(_ chunk: [T]) throws {
            summary.recordsRead += chunk.count
            for record in chunk where keep(record) {
                if let from, let modified = record.modifiedDate, modified < from { continue }
                if let modified = record.modifiedDate, summary.newestModified.map({ modified > $0 }) ?? true {
                    summary.newestModified = modified
                }
                pending.append(record)
            }
            try flush(all: false)
        }

        if !settings.serverPaging {
            let url = company.resourceURL(path, query: baseQuery, settings: settings)
            let response = try perform(request("GET", url), context: context)
            summary.requests += 1
            try GPEnvelope.forEachChunk(T.self, from: response.body, settings: settings, chunkSize: pageSize, take)
            try flush(all: true)
            return summary
        }

        var skip = 0
        var previousBody: Data?
        while true {
            let query = baseQuery + [(settings.skipParameter, String(skip)), (settings.takeParameter, String(pageSize))]
            let url = company.resourceURL(path, query: query, settings: settings)
            let response = try perform(request("GET", url), context: context)
            summary.requests += 1
            if skip > 0, response.body == previousBody {
                throw GPError.badResponse(detail: "GP returned the same page for \(settings.skipParameter)=\(skip); it ignores the paging parameters, so set server_paging to false")
            }
            let count = try GPEnvelope.forEachChunk(T.self, from: response.body, settings: settings, chunkSize: pageSize, take)
            if count > pageSize {
                logger.warning("gp ignored paging parameters and returned the whole list", metadata: [
                    "tenant": "\(tenant)", "resource": "\(path)", "records": "\(count)"])
                break
            }
            if count < pageSize { break }
            skip += count
            previousBody = response.body
        }
        try flush(all: true)
        return summary
    }
}
