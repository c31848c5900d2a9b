/// What to do with a GP customer in a given state (inactive, on hold).
public enum GPCustomerStatePolicy: String, Sendable, Codable, CaseIterable {
    /// Create or update the Commerce account as usual.
    case sync
    /// Leave Commerce alone and record the customer as skipped with the reason.
    case skip
}

/// A tenant's choices for turning GP customers into Commerce customer accounts.
public struct CustomerMappingSettings: Sendable, Equatable, Codable {
    public var websiteId: Int = 1
    /// Commerce group by GP customer class (looked up first), then by GP price level.
    public var groupByClass: [String: Int] = [:]
    public var groupByPriceLevel: [String: Int] = [:]
    /// 1 = General in a stock installation.
    public var defaultGroupId: Int = 1
    public var inactive: GPCustomerStatePolicy = .skip
    /// On hold is a credit decision in GP; the shopper can still have an account (orders then
    /// park at posting with GP's reason).
    public var onHold: GPCustomerStatePolicy = .sync
    /// Customer attribute that carries the GP customer id, so orders map back.
    public var gpIdAttributeCode: String = "gp_customer_id"
    /// ISO 3166 alpha-2 country for an address whose GP country is empty or unrecognised.
    public var defaultCountryId: String = "US"
    /// Extra GP country spellings → alpha-2 (added to the built-in table).
    public var countryAliases: [String: String] = [:]

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = CustomerMappingSettings()
        websiteId = try c.decodeIfPresent(Int.self, forKey: .websiteId) ?? d.websiteId
        groupByClass = try c.decodeIfPresent([String: Int].self, forKey: .groupByClass) ?? d.groupByClass
        groupByPriceLevel = try c.decodeIfPresent([String: Int].self, forKey: .groupByPriceLevel) ?? d.groupByPriceLevel
        defaultGroupId = try c.decodeIfPresent(Int.self, forKey: .defaultGroupId) ?? d.defaultGroupId
        inactive = try c.decodeIfPresent(GPCustomerStatePolicy.self, forKey: .inactive) ?? d.inactive
        onHold = try c.decodeIfPresent(GPCustomerStatePolicy.self, forKey: .onHold) ?? d.onHold
        gpIdAttributeCode = try c.decodeIfPresent(String.self, forKey: .gpIdAttributeCode) ?? d.gpIdAttributeCode
        defaultCountryId = try c.decodeIfPresent(String.self, forKey: .defaultCountryId) ?? d.defaultCountryId
        countryAliases = try c.decodeIfPresent([String: String].self, forKey: .countryAliases) ?? d.countryAliases
    }

    enum CodingKeys: String, CodingKey {
        case websiteId = "website_id", groupByClass = "group_by_class", groupByPriceLevel = "group_by_price_level"
        case defaultGroupId = "default_group_id", inactive, onHold = "on_hold"
        case gpIdAttributeCode = "gp_id_attribute_code", defaultCountryId = "default_country_id"
        case countryAliases = "country_aliases"
    }
}
