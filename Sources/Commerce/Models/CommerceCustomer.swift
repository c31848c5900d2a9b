/// A customer account (`customer-data-customer-interface`). The GP customer id travels in a
/// custom attribute (e.g. `erp_id`) so orders map back.
public struct CommerceCustomer: Codable, Sendable, Equatable {
    public var id: Int?
    public var groupId: Int?
    public var email: String
    public var firstname: String
    public var lastname: String
    public var middlename: String?
    public var taxvat: String?
    public var websiteId: Int?
    public var storeId: Int?
    public var createdAt: String?
    public var updatedAt: String?
    public var defaultBilling: String?
    public var defaultShipping: String?
    public var addresses: [CommerceAddress]?
    public var customAttributes: [CommerceCustomAttribute]?

    public init(email: String, firstname: String, lastname: String, websiteId: Int? = nil, groupId: Int? = nil,
                addresses: [CommerceAddress]? = nil, customAttributes: [CommerceCustomAttribute]? = nil) {
        self.email = email
        self.firstname = firstname
        self.lastname = lastname
        self.websiteId = websiteId
        self.groupId = groupId
        self.addresses = addresses
        self.customAttributes = customAttributes
    }
}

/// A customer, billing or shipping address.
public struct CommerceAddress: Codable, Sendable, Equatable {
    public struct Region: Codable, Sendable, Equatable {
        public var regionCode: String?
        public var region: String?
        public var regionId: Int?
        public init(regionCode: String? = nil, region: String? = nil, regionId: Int? = nil) {
            self.regionCode = regionCode
            self.region = region
            self.regionId = regionId
        }
    }

    public var id: Int?
    public var firstname: String?
    public var lastname: String?
    public var company: String?
    public var street: [String]?
    public var city: String?
    public var region: Region?
    public var postcode: String?
    public var countryId: String?
    public var telephone: String?
    public var defaultBilling: Bool?
    public var defaultShipping: Bool?

    public init(firstname: String? = nil, lastname: String? = nil, company: String? = nil, street: [String]? = nil,
                city: String? = nil, region: Region? = nil, postcode: String? = nil, countryId: String? = nil,
                telephone: String? = nil, defaultBilling: Bool? = nil, defaultShipping: Bool? = nil) {
        self.firstname = firstname
        self.lastname = lastname
        self.company = company
        self.street = street
        self.city = city
        self.region = region
        self.postcode = postcode
        self.countryId = countryId
        self.telephone = telephone
        self.defaultBilling = defaultBilling
        self.defaultShipping = defaultShipping
    }
}
