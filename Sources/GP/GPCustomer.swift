import Foundation

/// A GP customer (RM00101). JSON names follow the SOAP `Customer`/`CustomerSummary` where known.
public struct GPCustomer: Sendable, Equatable, Codable {
    public var customerId: String
    public var name: String
    public var shortName: String?
    public var statementName: String?
    public var classId: String?
    public var isOnHold: Bool
    public var isActive: Bool
    public var currencyId: String?
    public var priceLevel: String?
    public var defaultAddressId: String?
    /// GP keeps e-mail in the internet-address table (SY01200); servers that expose it send it here.
    public var email: String?
    public var modifiedDate: GPDate?
    public var createdDate: GPDate?

    public init(customerId: String, name: String, shortName: String? = nil, statementName: String? = nil,
                classId: String? = nil, isOnHold: Bool = false, isActive: Bool = true, currencyId: String? = nil,
                priceLevel: String? = nil, defaultAddressId: String? = nil, email: String? = nil,
                modifiedDate: GPDate? = nil, createdDate: GPDate? = nil) {
        self.customerId = customerId
        self.name = name
        self.shortName = shortName
        self.statementName = statementName
        self.classId = classId
        self.isOnHold = isOnHold
        self.isActive = isActive
        self.currencyId = currencyId
        self.priceLevel = priceLevel
        self.defaultAddressId = defaultAddressId
        self.email = email
        self.modifiedDate = modifiedDate
        self.createdDate = createdDate
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        customerId = try c.requiredString("CustomerId", "Key", "Id", "CUSTNMBR")
        name = try c.string("Name", "CUSTNAME") ?? ""
        shortName = try c.string("ShortName", "Shortname", "SHRTNAME")
        statementName = try c.string("StatementName", "STMTNAME")
        classId = try c.string("ClassId", "ClassKey", "CustomerClassKey", "CUSTCLAS")
        isOnHold = try c.bool("IsOnHold", "HOLD") ?? false
        if let active = try c.bool("IsActive") {
            isActive = active
        } else {
            isActive = !(try c.bool("IsInactive", "INACTIVE") ?? false)
        }
        currencyId = try c.string("CurrencyId", "CurrencyKey", "CURNCYID")
        priceLevel = try c.string("PriceLevel", "PriceLevelKey", "PRCLEVEL")
        defaultAddressId = try c.string("DefaultAddressId", "DefaultAddressKey", "ADRSCODE")
        email = try c.string("Email", "EmailAddress", "INET1")
        modifiedDate = try c.date("ModifiedDate", "LastModifiedDate", "MODIFDT")
        createdDate = try c.date("CreatedDate", "CREATDDT")
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.put(customerId, "CustomerId")
        try c.put(name, "Name")
        try c.put(shortName, "ShortName")
        try c.put(statementName, "StatementName")
        try c.put(classId, "ClassId")
        try c.put(isOnHold, "IsOnHold")
        try c.put(isActive, "IsActive")
        try c.put(currencyId, "CurrencyId")
        try c.put(priceLevel, "PriceLevel")
        try c.put(defaultAddressId, "DefaultAddressId")
        try c.put(email, "Email")
        try c.put(modifiedDate, "ModifiedDate")
        try c.put(createdDate, "CreatedDate")
    }
}
