/// A tenant's choices for turning GP items into Commerce products. Every field has the documented
/// default, so a tenant stores only what differs (JSON, snake_case keys).
public struct ItemMappingSettings: Sendable, Equatable, Codable {
    /// GP price level whose price becomes the product price (e.g. `RETAIL`).
    public var priceLevel: String = "RETAIL"
    /// Currency of the price list entry to use; nil takes the entry without a currency (the
    /// functional currency) or, failing that, the only one there is.
    public var currencyId: String?
    /// Unit of measure of the price; nil prefers `Each`, else the first in name order.
    public var uofm: String?
    /// GP sites whose available quantity is summed; empty means every site.
    public var sites: [String] = []
    public var attributeSetId: Int = 4
    /// 1 not visible, 2 catalog, 3 search, 4 catalog and search.
    public var visibility: Int = 4
    public var websiteIds: [Int] = [1]
    public var typeId: String = "simple"
    /// Batches of at least this many changed products go through the async bulk endpoint.
    public var bulkThreshold: Int = 50

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ItemMappingSettings()
        priceLevel = try c.decodeIfPresent(String.self, forKey: .priceLevel) ?? d.priceLevel
        currencyId = try c.decodeIfPresent(String.self, forKey: .currencyId)
        uofm = try c.decodeIfPresent(String.self, forKey: .uofm)
        sites = try c.decodeIfPresent([String].self, forKey: .sites) ?? d.sites
        attributeSetId = try c.decodeIfPresent(Int.self, forKey: .attributeSetId) ?? d.attributeSetId
        visibility = try c.decodeIfPresent(Int.self, forKey: .visibility) ?? d.visibility
        websiteIds = try c.decodeIfPresent([Int].self, forKey: .websiteIds) ?? d.websiteIds
        typeId = try c.decodeIfPresent(String.self, forKey: .typeId) ?? d.typeId
        bulkThreshold = max(1, try c.decodeIfPresent(Int.self, forKey: .bulkThreshold) ?? d.bulkThreshold)
    }

    enum CodingKeys: String, CodingKey {
        case priceLevel = "price_level", currencyId = "currency_id", uofm, sites
        case attributeSetId = "attribute_set_id", visibility, websiteIds = "website_ids", typeId = "type_id"
        case bulkThreshold = "bulk_threshold"
    }
}
