/// Tenant choices about posting Commerce sales to GP that are not GP connection settings
/// (`gp.document_prefix`, `gp.batch_prefix` and `gp.functional_currency` stay under `gp`).
/// Stored under `posting`; `Tenant.postingSettings` turns them into the flow's `PostingSettings`.
public struct PostingOptions: Sendable, Equatable {
    /// Which Commerce event creates the GP document; the other is only noted on the record.
    public var trigger: PostingTrigger = .invoiceCaptured
    /// GP customer for orders whose customer maps to none; nil parks such orders (`no_guest_customer`).
    public var guestCustomerId: String?
    public var batchDateFormat: BatchDateFormat = .yyMMdd
    public var exchangeRateStyle: ExchangeRateStyle = .multiply
    /// How long an order announced by a `place_before` hook may stay invisible before it is abandoned.
    public var orderWaitSeconds = 900
    /// How far back a `full` orders/invoices sync may read (and reads when no `since` is given).
    public var backstopFullLookbackDays = 30

    public init() {}
}

/// Product fields a GP item does not carry. The price level and sites stay under `gp`
/// (`gp.price_level`, `gp.sites`). Stored under `items`; see `Tenant.itemMappingSettings`.
public struct ItemOptions: Sendable, Equatable {
    /// Currency of the GP price list entry; nil takes the functional-currency entry.
    public var currencyId: String?
    /// Unit of measure of the price; nil prefers `Each`.
    public var uofm: String?
    public var attributeSetId = 4
    /// 1 not visible, 2 catalog, 3 search, 4 catalog and search.
    public var visibility = 4
    public var websiteIds = [1]
    /// Batches of at least this many changed products use Commerce's async bulk endpoint.
    public var bulkThreshold = 50

    public init() {}
}
