import Foundation
import HTTPServer
import Synchronization

/// The simulated GP company data and its rules: catalog tables in key order, posted receivables
/// documents, the functional currency, exchange rates and closed fiscal periods.
///
/// One store serves every company name (documents are unique across all of it). All access goes
/// through one `Mutex`; handlers copy out what they answer with.
public final class GPSimulatorStore: Sendable {
    struct Table {
        var records: [String: [String: JSONValue]] = [:]
        /// Keys in order; nil after a change, rebuilt on the next list.
        var order: [String]? = []
    }

    struct State {
        var tables: [GPSimResource: Table] = [:]
        var documents: [String: GPSimDocument] = [:]
        var documentOrder: [String] = []
        var functionalCurrency = "USD"
        var exchangeRates: [String: Decimal] = [:]
        var closedPeriods: [GPSimClosedPeriod] = []
    }

    let state = Mutex(State())
    let today: @Sendable () -> String

    init(today: @escaping @Sendable () -> String) {
        self.today = today
    }

    /// Record key: the key fields, trimmed and upper-cased (GP's SQL collation ignores case).
    static func key(_ parts: [String]) -> String {
        parts.map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.joined(separator: "\u{1F}")
    }

    static func keyParts(of record: [String: JSONValue], resource: GPSimResource) -> [String]? {
        var parts: [String] = []
        for field in resource.keyFields {
            switch record[field] {
            case .string(let s)?: parts.append(s)
            case .int(let i)?: parts.append(String(i))
            case nil, .null?:
                // A price without a currency is the functional-currency price.
                if resource == .itemPriceLists && field == "CurrencyId" { parts.append("") } else { return nil }
            default: return nil
            }
        }
        return parts
    }

    /// Replaces (`replace`) or adds to the data. Throws on a record without its key fields.
    public func load(_ seed: GPSimulatorSeed, replace: Bool = true) throws {
        let today = today()
        var incoming: [GPSimResource: [[String: JSONValue]]] = [:]
        for resource in GPSimResource.catalog { incoming[resource] = seed.records(for: resource) }
        if let generate = seed.generate {
            for (resource, records) in generate.records(today: today) { incoming[resource, default: []] += records }
        }
        var prepared: [GPSimResource: [(String, [String: JSONValue])]] = [:]
        for (resource, records) in incoming {
            for (i, record) in records.enumerated() {
                guard let parts = Self.keyParts(of: record, resource: resource) else {
                    throw GPSimulatorError.invalidSeed("\(resource.rawValue)[\(i)] lacks \(resource.keyFields.joined(separator: ", "))")
                }
                prepared[resource, default: []].append((Self.key(parts), Self.normalized(record, today: today)))
            }
        }
        state.withLock { s in
            if replace {
                s.tables = [:]
                s.documents = [:]
                s.documentOrder = []
                s.exchangeRates = [:]
                s.closedPeriods = []
                s.functionalCurrency = "USD"
            }
            if let c = seed.functionalCurrency { s.functionalCurrency = c.uppercased() }
            for (c, rate) in seed.exchangeRates ?? [:] { s.exchangeRates[c.uppercased()] = rate }
            s.closedPeriods += seed.closedPeriods ?? []
            for (resource, rows) in prepared {
                var table = s.tables[resource] ?? Table()
                for (key, record) in rows { table.records[key] = record }
                table.order = nil
                s.tables[resource] = table
            }
        }
    }

    /// Adds or replaces records of one resource, as if edited in GP today (unless they carry a
    /// ModifiedDate). Returns how many were stored.
    @discardableResult
    public func upsert(_ records: [[String: JSONValue]], into resource: GPSimResource) throws -> Int {
        guard resource != .receivables else { throw GPSimulatorError.invalidSeed("documents are created by posting") }
        var seed = GPSimulatorSeed()
        switch resource {
        case .items: seed.items = records
        case .itemPriceLists: seed.itemPrices = records
        case .itemSites: seed.itemSites = records
        case .customers: seed.customers = records
        case .customerAddresses: seed.customerAddresses = records
        case .receivables: break
        }
        try load(seed, replace: false)
        return records.count
    }

    /// ModifiedDate/CreatedDate as GP sends them: date-only, at midnight.
    static func normalized(_ record: [String: JSONValue], today: String) -> [String: JSONValue] {
        var r = record
        for field in ["ModifiedDate", "CreatedDate"] {
            if case .string(let s)? = r[field], let day = GPSimDay.parse(s) {
                r[field] = .string(GPSimDay.wire(day))
            } else if field == "ModifiedDate" {
                r[field] = .string(GPSimDay.wire(today))
            }
        }
        return r
    }

    /// Records in key order, optionally those modified on or after `since` (yyyy-MM-dd), then
    /// the `skip`/`take` window.
    func list(_ resource: GPSimResource, since: String?, skip: Int?, take: Int?) -> [[String: JSONValue]] {
        if resource == .receivables {
            let docs = state.withLock { s in s.documentOrder.compactMap { s.documents[$0] } }
            return window(docs.map(\.json), skip: skip, take: take)
        }
        return state.withLock { s in
            var table = s.tables[resource] ?? Table()
            if table.order == nil {
                table.order = table.records.keys.sorted()
                s.tables[resource] = table
            }
            var out: [[String: JSONValue]] = []
            var skipped = 0
            for key in table.order! {
                guard let record = table.records[key] else { continue }
                if let since, case .string(let m)? = record["ModifiedDate"], let day = GPSimDay.parse(m), day < since { continue }
                if let skip, skipped < skip { skipped += 1; continue }
                if let take, out.count >= take { break }
                out.append(record)
            }
            return out
        }
    }

    private func window(_ all: [[String: JSONValue]], skip: Int?, take: Int?) -> [[String: JSONValue]] {
        let start = min(all.count, max(0, skip ?? 0))
        let end = take.map { min(all.count, start + max(0, $0)) } ?? all.count
        return Array(all[start..<end])
    }

    /// One record by its URL key parts.
    func get(_ resource: GPSimResource, keys: [String]) -> [String: JSONValue]? {
        if resource == .receivables {
            // `Transactions(WEB1)` or `Transactions(1;WEB1)` (type;number).
            guard let number = keys.last else { return nil }
            return state.withLock { $0.documents[Self.key([number])]?.json }
        }
        var parts = keys
        if resource == .itemPriceLists, parts.count == 3 { parts.append("") }
        return state.withLock { $0.tables[resource]?.records[Self.key(parts)] }
    }

    /// Every posted receivables document, in posting order.
    public var documents: [GPSimDocument] {
        state.withLock { s in s.documentOrder.compactMap { s.documents[$0] } }
    }

    /// Record count of one resource.
    public func count(_ resource: GPSimResource) -> Int {
        state.withLock { s in resource == .receivables ? s.documents.count : s.tables[resource]?.records.count ?? 0 }
    }

    /// Closes the Sales series for documents dated `from...to` (yyyy-MM-dd).
    public func closePeriod(from: String, to: String) {
        state.withLock { $0.closedPeriods.append(GPSimClosedPeriod(from: from, to: to)) }
    }

    public func reopenAllPeriods() {
        state.withLock { $0.closedPeriods = [] }
    }

    public func setExchangeRate(_ rate: Decimal?, for currency: String) {
        state.withLock { $0.exchangeRates[currency.uppercased()] = rate }
    }

    /// Changes one field of a customer (e.g. `IsOnHold`) as if edited in GP today.
    public func setCustomerField(_ customerId: String, _ field: String, _ value: JSONValue) {
        let today = today()
        state.withLock { s in
            let key = Self.key([customerId])
            guard var record = s.tables[.customers]?.records[key] else { return }
            record[field] = value
            record["ModifiedDate"] = .string(GPSimDay.wire(today))
            s.tables[.customers]?.records[key] = record
        }
    }
}

public enum GPSimulatorError: Error, Sendable, CustomStringConvertible {
    case invalidSeed(String)
    public var description: String {
        switch self {
        case .invalidSeed(let d): "invalid GP simulator seed: \(d)"
        }
    }
}
