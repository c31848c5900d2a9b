import GP

/// One page of GP items with what their products need: prices (the tenant's level) and site
/// quantities. Prices and sites may cover more items than the page; the mapping picks by number.
public struct ItemPage: Sendable, Equatable {
    public var items: [GPItem]
    public var prices: [GPItemPrice]
    public var sites: [GPItemSite]

    public init(items: [GPItem], prices: [GPItemPrice], sites: [GPItemSite]) {
        self.items = items
        self.prices = prices
        self.sites = sites
    }
}

/// Where item pages come from (GP through `GPItemPageSource`, or a test's list).
public protocol ItemPageSource: GPPageSource where Page == ItemPage {}
