import Foundation

/// One address of a GP customer (RM00102), keyed by customer id and address code.
public struct GPCustomerAddress: Sendable, Equatable, Codable {
    public var customerId: String
    public var addressId: String
    public var contactPerson: String?
    public var line1: String?
    public var line2: String?
    public var line3: String?
    public var city: String?
    public var state: String?
    public var postalCode: String?
    public var countryRegion: String?
    public var phone1: String?
    public var email: String?
    public var modifiedDate: GPDate?

    public init(customerId: String, addressId: String, contactPerson: String? = nil, line1: String? = nil,
                line2: String? = nil, line3: String? = nil, city: String? = nil, state: String? = nil,
                postalCode: String? = nil, countryRegion: String? = nil, phone1: String? = nil,
                email: String? = nil, modifiedDate: GPDate? = nil) {
        self.customerId = customerId
        self.addressId = addressId
        self.contactPerson = contactPerson
        self.line1 = line1
        self.line2 = line2
        self.line3 = line3
        self.city = city
        self.state = state
        self.postalCode = postalCode
        self.countryRegion = countryRegion
        self.phone1 = phone1
        self.email = email
        self.modifiedDate = modifiedDate
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        customerId = try c.requiredString("CustomerId", "CustomerKey", "CUSTNMBR")
        addressId = try c.requiredString("AddressId", "Key", "Id", "ADRSCODE")
        contactPerson = try c.string("ContactPerson", "CNTCPRSN")
        line1 = try c.string("Line1", "ADDRESS1")
        line2 = try c.string("Line2", "ADDRESS2")
        line3 = try c.string("Line3", "ADDRESS3")
        city = try c.string("City", "CITY")
        state = try c.string("State", "STATE")
        postalCode = try c.string("PostalCode", "ZIP")
        countryRegion = try c.string("CountryRegion", "Country", "COUNTRY")
        phone1 = try c.string("Phone1", "PHONE1")
        email = try c.string("Email", "EmailAddress", "INET1")
        modifiedDate = try c.date("ModifiedDate", "LastModifiedDate", "MODIFDT")
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.put(customerId, "CustomerId")
        try c.put(addressId, "AddressId")
        try c.put(contactPerson, "ContactPerson")
        try c.put(line1, "Line1")
        try c.put(line2, "Line2")
        try c.put(line3, "Line3")
        try c.put(city, "City")
        try c.put(state, "State")
        try c.put(postalCode, "PostalCode")
        try c.put(countryRegion, "CountryRegion")
        try c.put(phone1, "Phone1")
        try c.put(email, "Email")
        try c.put(modifiedDate, "ModifiedDate")
    }
}
