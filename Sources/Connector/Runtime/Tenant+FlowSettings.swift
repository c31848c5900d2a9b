/// The flow settings a tenant document implies. The document carries the few choices a merchant
/// makes at registration (price level, sites, prefixes, functional currency); everything else
/// keeps the flows' documented defaults.
extension Tenant {
    public var itemMappingSettings: ItemMappingSettings {
        var s = ItemMappingSettings()
        if let level = settings.gp.priceLevel, !level.isEmpty { s.priceLevel = level }
        s.sites = settings.gp.sites
        return s
    }

    public var customerMappingSettings: CustomerMappingSettings { CustomerMappingSettings() }

    public var postingSettings: PostingSettings {
        var s = PostingSettings()
        s.documentPrefix = settings.gp.documentPrefix
        s.batchPrefix = settings.gp.batchPrefix
        s.functionalCurrency = settings.gp.functionalCurrency
        return s
    }
}
