import Foundation

/// Per-tenant assumptions about one GP server's SBA surface.
///
/// Microsoft never published an SBA endpoint reference (see `shared/reference/gp-sba.md`): the
/// resource paths, the `.json` suffix, the `Payload` envelope, server-side ModifiedDate filtering,
/// paging and the body date format are all UNCONFIRMED. Each is a setting here whose default is the
/// documented best guess; an integrator checks them against the server's `/help` page and changes
/// what differs, without a code change.
public struct GPSettings: Sendable, Codable, Equatable {
    /// Resource paths relative to `…/Companies(X)/`.
    public var paths: GPResourcePaths = GPResourcePaths()
    /// Append `.json` to every resource (`Customers(AARON).json`). Default false: the confirmed
    /// client calls use no suffix.
    public var jsonSuffix: Bool = false
    /// Name of the envelope property. Default `Payload`.
    public var envelopeKey: String = "Payload"
    /// Read responses arrive wrapped as `{"Payload": …}`. Default true.
    public var envelopeOnReads: Bool = true
    /// Request bodies are sent wrapped as `{"Payload": …}`. Default true.
    public var envelopeOnWrites: Bool = true
    /// The server filters lists by modified date (`?<modifiedSinceParameter>=yyyy-MM-dd`).
    /// Default false: the client then scans the full list and filters on its side.
    public var serverModifiedFilter: Bool = false
    public var modifiedSinceParameter: String = "modifiedSince"
    /// The server pages lists (`?<skipParameter>=n&<takeParameter>=m`). Default false: the client
    /// then reads the list in one response and hands it to the caller `pageSize` records at a time.
    public var serverPaging: Bool = false
    public var skipParameter: String = "skip"
    public var takeParameter: String = "take"
    /// Records per page handed to the caller (and requested, with server paging). Default 500.
    public var pageSize: Int = 500
    /// Days re-read before the watermark day: GP modified dates carry no time. Default 1.
    public var modifiedOverlapDays: Int = 1
    /// Date format in request bodies. Default `2024-05-01T00:00:00`.
    public var dateStyle: GPDateStyle = .isoDateTime
    /// Commas in names and keys: false sends `%2C`, true sends a literal `,` (both are valid URL
    /// syntax; which one SBA needs is UNCONFIRMED).
    public var literalCommas: Bool = false
    /// How a receivables document is keyed when read back: `Transactions(WEB100)` or
    /// `Transactions(1;WEB100)` (type;number as in partner code). Default `.documentNumber`.
    public var receivablesKey: GPReceivablesKeyStyle = .documentNumber
    /// Timeouts in seconds for one GP call. GP posting can be slow; a partner client uses 600 s.
    public var connectTimeout: Double = 10
    public var requestTimeout: Double = 120

    public init() {}

    /// Reads settings from JSON, each missing field keeping its default (a tenant stores only
    /// what differs from the defaults).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = GPSettings()
        paths = try c.decodeIfPresent(GPResourcePaths.self, forKey: .paths) ?? d.paths
        jsonSuffix = try c.decodeIfPresent(Bool.self, forKey: .jsonSuffix) ?? d.jsonSuffix
        envelopeKey = try c.decodeIfPresent(String.self, forKey: .envelopeKey) ?? d.envelopeKey
        envelopeOnReads = try c.decodeIfPresent(Bool.self, forKey: .envelopeOnReads) ?? d.envelopeOnReads
        envelopeOnWrites = try c.decodeIfPresent(Bool.self, forKey: .envelopeOnWrites) ?? d.envelopeOnWrites
        serverModifiedFilter = try c.decodeIfPresent(Bool.self, forKey: .serverModifiedFilter) ?? d.serverModifiedFilter
        modifiedSinceParameter = try c.decodeIfPresent(String.self, forKey: .modifiedSinceParameter) ?? d.modifiedSinceParameter
        serverPaging = try c.decodeIfPresent(Bool.self, forKey: .serverPaging) ?? d.serverPaging
        skipParameter = try c.decodeIfPresent(String.self, forKey: .skipParameter) ?? d.skipParameter
        takeParameter = try c.decodeIfPresent(String.self, forKey: .takeParameter) ?? d.takeParameter
        pageSize = max(1, try c.decodeIfPresent(Int.self, forKey: .pageSize) ?? d.pageSize)
        modifiedOverlapDays = max(0, try c.decodeIfPresent(Int.self, forKey: .modifiedOverlapDays) ?? d.modifiedOverlapDays)
        dateStyle = try c.decodeIfPresent(GPDateStyle.self, forKey: .dateStyle) ?? d.dateStyle
        literalCommas = try c.decodeIfPresent(Bool.self, forKey: .literalCommas) ?? d.literalCommas
        receivablesKey = try c.decodeIfPresent(GPReceivablesKeyStyle.self, forKey: .receivablesKey) ?? d.receivablesKey
        connectTimeout = try c.decodeIfPresent(Double.self, forKey: .connectTimeout) ?? d.connectTimeout
        requestTimeout = try c.decodeIfPresent(Double.self, forKey: .requestTimeout) ?? d.requestTimeout
    }

    enum CodingKeys: String, CodingKey {
        case paths
        case jsonSuffix = "json_suffix"
        case envelopeKey = "envelope_key"
        case envelopeOnReads = "envelope_on_reads"
        case envelopeOnWrites = "envelope_on_writes"
        case serverModifiedFilter = "server_modified_filter"
        case modifiedSinceParameter = "modified_since_parameter"
        case serverPaging = "server_paging"
        case skipParameter = "skip_parameter"
        case takeParameter = "take_parameter"
        case pageSize = "page_size"
        case modifiedOverlapDays = "modified_overlap_days"
        case dateStyle = "date_style"
        case literalCommas = "literal_commas"
        case receivablesKey = "receivables_key"
        case connectTimeout = "connect_timeout_s"
        case requestTimeout = "request_timeout_s"
    }
}

/// SBA resource paths relative to the company URL (UNCONFIRMED; verify on `/help`).
public struct GPResourcePaths: Sendable, Codable, Equatable {
    public var items: String = "Inventory/Items"
    public var itemPriceLists: String = "Inventory/ItemPriceLists"
    public var itemSites: String = "Inventory/ItemSites"
    public var customers: String = "Sales/Customers"
    public var customerAddresses: String = "Sales/CustomerAddresses"
    public var receivablesTransactions: String = "Sales/Receivables/Transactions"

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = GPResourcePaths()
        items = try c.decodeIfPresent(String.self, forKey: .items) ?? d.items
        itemPriceLists = try c.decodeIfPresent(String.self, forKey: .itemPriceLists) ?? d.itemPriceLists
        itemSites = try c.decodeIfPresent(String.self, forKey: .itemSites) ?? d.itemSites
        customers = try c.decodeIfPresent(String.self, forKey: .customers) ?? d.customers
        customerAddresses = try c.decodeIfPresent(String.self, forKey: .customerAddresses) ?? d.customerAddresses
        receivablesTransactions = try c.decodeIfPresent(String.self, forKey: .receivablesTransactions) ?? d.receivablesTransactions
    }

    enum CodingKeys: String, CodingKey {
        case items
        case itemPriceLists = "item_price_lists"
        case itemSites = "item_sites"
        case customers
        case customerAddresses = "customer_addresses"
        case receivablesTransactions = "receivables_transactions"
    }
}

/// Key form of a receivables document in its URL.
public enum GPReceivablesKeyStyle: String, Sendable, Codable {
    /// `Transactions(WEB100)`
    case documentNumber = "document_number"
    /// `Transactions(1;WEB100)`: RM document type (1 = invoice) then number.
    case typeAndNumber = "type_and_number"
}
