import GP

/// The flow settings a tenant document implies: `gp` (price level, sites, prefixes, functional
/// currency, SBA surface), `posting`, `items` and `customers`. The one GP-id attribute code
/// (`customers.gp_id_attribute_code`) serves both the customer sync that writes it and the
/// posting that reads it back, so the two can never disagree.
extension Tenant {
    public var itemMappingSettings: ItemMappingSettings {
        var s = ItemMappingSettings()
        if let level = settings.gp.priceLevel, !level.isEmpty { s.priceLevel = level }
        s.sites = settings.gp.sites
        let items = settings.items
        s.currencyId = items.currencyId
        s.uofm = items.uofm
        s.attributeSetId = items.attributeSetId
        s.visibility = items.visibility
        s.websiteIds = items.websiteIds
        s.bulkThreshold = items.bulkThreshold
        return s
    }

    public var customerMappingSettings: CustomerMappingSettings { settings.customers }

    public var postingSettings: PostingSettings {
        var s = PostingSettings()
        s.documentPrefix = settings.gp.documentPrefix
        s.batchPrefix = settings.gp.batchPrefix
        s.functionalCurrency = settings.gp.functionalCurrency
        let posting = settings.posting
        s.trigger = posting.trigger
        s.guestCustomerId = posting.guestCustomerId
        s.batchDateFormat = posting.batchDateFormat
        s.exchangeRateStyle = posting.exchangeRateStyle
        s.orderWaitSeconds = posting.orderWaitSeconds
        s.gpIdAttributeCode = settings.customers.gpIdAttributeCode
        return s
    }

    /// The SBA surface assumptions for this tenant's GP client (`gp.sba`).
    public var gpSBASettings: GP.GPSettings { settings.gp.sba }
}
