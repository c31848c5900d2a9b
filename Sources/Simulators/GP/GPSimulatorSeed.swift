import Foundation
import HTTPServer

/// What a GP simulator starts with: records in SBA JSON form plus the posting rules' tables.
///
/// A seed file (`ml-connector simulate gp --seed fabrikam.json`) is this type as JSON:
///
/// ```json
/// {
///   "functional_currency": "USD",
///   "exchange_rates": {"EUR": 1.08},
///   "closed_periods": [{"from": "2024-01-01", "to": "2024-01-31"}],
///   "items": [{"ItemNumber": "ITEM-1", "Description": "Widget", "ModifiedDate": "2024-05-01"}],
///   "item_prices": [{"ItemNumber": "ITEM-1", "PriceLevel": "RETAIL", "UofM": "Each", "CurrencyId": "USD", "UnitPrice": 19.99}],
///   "item_sites": [{"ItemNumber": "ITEM-1", "SiteId": "MAIN", "QuantityOnHand": 12, "QuantityAllocated": 2}],
///   "customers": [{"CustomerId": "AARONFIT0001", "Name": "Aaron Fitz", "IsOnHold": false, "IsActive": true}],
///   "customer_addresses": [{"CustomerId": "AARONFIT0001", "AddressId": "PRIMARY", "City": "Chicago"}],
///   "generate": {"items": 1000, "customers": 50}
/// }
/// ```
/// Records keep any extra fields; a missing `ModifiedDate` becomes the simulator's today.
public struct GPSimulatorSeed: Sendable, Codable {
    public var functionalCurrency: String?
    public var exchangeRates: [String: Decimal]?
    public var closedPeriods: [GPSimClosedPeriod]?
    public var items: [[String: JSONValue]]?
    public var itemPrices: [[String: JSONValue]]?
    public var itemSites: [[String: JSONValue]]?
    public var customers: [[String: JSONValue]]?
    public var customerAddresses: [[String: JSONValue]]?
    /// Synthetic records added after the listed ones.
    public var generate: GPSimGenerate?

    public init(functionalCurrency: String? = nil, exchangeRates: [String: Decimal]? = nil,
                closedPeriods: [GPSimClosedPeriod]? = nil, items: [[String: JSONValue]]? = nil,
                itemPrices: [[String: JSONValue]]? = nil, itemSites: [[String: JSONValue]]? = nil,
                customers: [[String: JSONValue]]? = nil, customerAddresses: [[String: JSONValue]]? = nil,
                generate: GPSimGenerate? = nil) {
        self.functionalCurrency = functionalCurrency
        self.exchangeRates = exchangeRates
        self.closedPeriods = closedPeriods
        self.items = items
        self.itemPrices = itemPrices
        self.itemSites = itemSites
        self.customers = customers
        self.customerAddresses = customerAddresses
        self.generate = generate
    }

    enum CodingKeys: String, CodingKey {
        case functionalCurrency = "functional_currency"
        case exchangeRates = "exchange_rates"
        case closedPeriods = "closed_periods"
        case items
        case itemPrices = "item_prices"
        case itemSites = "item_sites"
        case customers
        case customerAddresses = "customer_addresses"
        case generate
    }

    /// Reads a seed file.
    public static func load(path: String) throws -> GPSimulatorSeed {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONDecoder().decode(GPSimulatorSeed.self, from: data)
    }

    func records(for resource: GPSimResource) -> [[String: JSONValue]] {
        switch resource {
        case .items: items ?? []
        case .itemPriceLists: itemPrices ?? []
        case .itemSites: itemSites ?? []
        case .customers: customers ?? []
        case .customerAddresses: customerAddresses ?? []
        case .receivables: []
        }
    }
}

/// A closed fiscal period for the Sales series: documents dated in `from...to` are refused.
public struct GPSimClosedPeriod: Sendable, Codable, Equatable {
    public var from: String
    public var to: String
    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }
}

/// Synthetic data: `items` items (`ITEM-000001`…) with a `priceLevel` price and a quantity at each
/// of `sites`, and `customers` customers (`CUST000001`…) each with a PRIMARY address.
/// ModifiedDate spreads over the `spreadDays` days before `lastModified` (default today), so
/// incremental reads have something to select.
public struct GPSimGenerate: Sendable, Codable {
    public var items: Int
    public var customers: Int
    public var priceLevel: String
    public var sites: [String]
    public var spreadDays: Int
    public var lastModified: String?

    public init(items: Int = 0, customers: Int = 0, priceLevel: String = "RETAIL", sites: [String] = ["MAIN", "EAST"],
                spreadDays: Int = 30, lastModified: String? = nil) {
        self.items = items
        self.customers = customers
        self.priceLevel = priceLevel
        self.sites = sites
        self.spreadDays = spreadDays
        self.lastModified = lastModified
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = GPSimGenerate()
        items = try c.decodeIfPresent(Int.self, forKey: .items) ?? d.items
        customers = try c.decodeIfPresent(Int.self, forKey: .customers) ?? d.customers
        priceLevel = try c.decodeIfPresent(String.self, forKey: .priceLevel) ?? d.priceLevel
        sites = try c.decodeIfPresent([String].self, forKey: .sites) ?? d.sites
        spreadDays = max(1, try c.decodeIfPresent(Int.self, forKey: .spreadDays) ?? d.spreadDays)
        lastModified = try c.decodeIfPresent(String.self, forKey: .lastModified)
    }

    enum CodingKeys: String, CodingKey {
        case items, customers, sites
        case priceLevel = "price_level"
        case spreadDays = "spread_days"
        case lastModified = "last_modified"
    }

    /// The synthetic records, per resource.
    func records(today: String) -> [GPSimResource: [[String: JSONValue]]] {
        let last = lastModified.flatMap(GPSimDay.parse) ?? today
        var out: [GPSimResource: [[String: JSONValue]]] = [:]
        for i in 0..<max(0, items) {
            let number = String(format: "ITEM-%06d", i + 1)
            let day = GPSimDay.wire(GPSimDay.adding(-(i % spreadDays), to: last))
            let cents = 100 + (i * 37) % 99_900
            let price = Double(cents) / 100
            out[.items, default: []].append([
                "ItemNumber": .string(number), "Description": .string("Generated item \(i + 1)"),
                "ShortDescription": .string("GEN\(i + 1)"), "ClassId": .string("FINISHED"),
                "Type": .string(i % 97 == 96 ? "Discontinued" : "SalesInventory"),
                "IsInactive": .bool(false), "CurrentCost": .double(price / 2), "StandardCost": .double(price / 2),
                "UofMScheduleId": .string("EACH"), "ModifiedDate": .string(day), "CreatedDate": .string(day),
            ])
            out[.itemPriceLists, default: []].append([
                "ItemNumber": .string(number), "PriceLevel": .string(priceLevel), "UofM": .string("Each"),
                "CurrencyId": .string("USD"), "UnitPrice": .double(price), "ModifiedDate": .string(day),
            ])
            for (s, site) in sites.enumerated() {
                out[.itemSites, default: []].append([
                    "ItemNumber": .string(number), "SiteId": .string(site),
                    "QuantityOnHand": .int((i * 7 + s * 3) % 200), "QuantityAllocated": .int(i % 5),
                    "ModifiedDate": .string(day),
                ])
            }
        }
        for i in 0..<max(0, customers) {
            let id = String(format: "CUST%06d", i + 1)
            let day = GPSimDay.wire(GPSimDay.adding(-(i % spreadDays), to: last))
            out[.customers, default: []].append([
                "CustomerId": .string(id), "Name": .string("Generated Customer \(i + 1)"),
                "ShortName": .string("GEN\(i + 1)"), "ClassId": .string("RETAIL"), "IsOnHold": .bool(false),
                "IsActive": .bool(true), "CurrencyId": .string("USD"), "PriceLevel": .string(priceLevel),
                "DefaultAddressId": .string("PRIMARY"), "Email": .string("customer\(i + 1)@example.com"),
                "ModifiedDate": .string(day), "CreatedDate": .string(day),
            ])
            out[.customerAddresses, default: []].append([
                "CustomerId": .string(id), "AddressId": .string("PRIMARY"),
                "ContactPerson": .string("Contact \(i + 1)"), "Line1": .string("\(100 + i) Main Street"),
                "City": .string("Springfield"), "State": .string("IL"), "PostalCode": .string("62701"),
                "CountryRegion": .string("USA"), "Phone1": .string("2175550\(String(format: "%03d", i % 1000))"),
                "Email": .string("customer\(i + 1)@example.com"), "ModifiedDate": .string(day),
            ])
        }
        return out
    }
}
