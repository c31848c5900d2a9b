import Foundation

/// How a `GPSimulator` behaves. Defaults mirror `GPSettings`' defaults in the GP module, so a
/// default client talks to a default simulator.
public struct GPSimulatorConfiguration: Sendable {
    /// Basic-auth users (`user` may be given as `DOMAIN\user`; the domain is ignored when
    /// matching). Empty: no authentication.
    public var users: [String: String] = [:]
    /// Company names served (matched case-insensitively); nil serves any name.
    public var companies: [String]? = nil
    /// Wrap bodies as `{"<envelopeKey>": …}`; requests must then be wrapped too.
    public var envelope: Bool = true
    public var envelopeKey: String = "Payload"
    /// Honour `?skip=&take=`; false ignores them (like a server without paging).
    public var paging: Bool = true
    public var skipParameter: String = "skip"
    public var takeParameter: String = "take"
    /// Honour `?modifiedSince=yyyy-MM-dd`; false ignores it.
    public var modifiedFilter: Bool = true
    public var modifiedSinceParameter: String = "modifiedSince"
    /// Resource paths (relative to `Companies(X)/`), matched case-insensitively.
    public var paths = GPSimulatorPaths()
    /// Added to every GP request, in milliseconds.
    public var latencyMs: Int = 0
    /// The "system date": default document date and ModifiedDate of records changed through the
    /// admin API. nil: today in UTC.
    public var today: String? = nil

    public init() {}
}

public struct GPSimulatorPaths: Sendable {
    public var items = "Inventory/Items"
    public var itemPriceLists = "Inventory/ItemPriceLists"
    public var itemSites = "Inventory/ItemSites"
    public var customers = "Sales/Customers"
    public var customerAddresses = "Sales/CustomerAddresses"
    public var receivablesTransactions = "Sales/Receivables/Transactions"
    public init() {}

    func resource(for path: String) -> GPSimResource? {
        let p = path.lowercased()
        if p == receivablesTransactions.lowercased() { return .receivables }
        return GPSimResource.catalog.first { self.path(of: $0).lowercased() == p }
    }

    func path(of resource: GPSimResource) -> String {
        switch resource {
        case .items: items
        case .itemPriceLists: itemPriceLists
        case .itemSites: itemSites
        case .customers: customers
        case .customerAddresses: customerAddresses
        case .receivables: receivablesTransactions
        }
    }
}

/// The resources the simulator serves.
public enum GPSimResource: String, Sendable, CaseIterable, Codable {
    case items
    case itemPriceLists = "item_prices"
    case itemSites = "item_sites"
    case customers
    case customerAddresses = "customer_addresses"
    case receivables

    static let catalog: [GPSimResource] = [.items, .itemPriceLists, .itemSites, .customers, .customerAddresses]

    /// Fields forming the record key, in URL key order.
    var keyFields: [String] {
        switch self {
        case .items: ["ItemNumber"]
        case .itemPriceLists: ["ItemNumber", "PriceLevel", "UofM", "CurrencyId"]
        case .itemSites: ["ItemNumber", "SiteId"]
        case .customers: ["CustomerId"]
        case .customerAddresses: ["CustomerId", "AddressId"]
        case .receivables: ["DocumentNumber"]
        }
    }

    /// A singular noun for messages.
    var noun: String {
        switch self {
        case .items: "Item"
        case .itemPriceLists: "Item price"
        case .itemSites: "Item site"
        case .customers: "Customer"
        case .customerAddresses: "Customer address"
        case .receivables: "Receivables document"
        }
    }
}
