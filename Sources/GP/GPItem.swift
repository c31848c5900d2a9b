import Foundation

/// A GP inventory item (IV00101). JSON names follow the SOAP `Item` where known.
public struct GPItem: Sendable, Equatable, Codable {
    public var itemNumber: String
    public var description: String
    public var shortDescription: String?
    public var genericDescription: String?
    public var classId: String?
    /// GP item type, e.g. `SalesInventory`, `Discontinued`, `Service`.
    public var type: String?
    public var isInactive: Bool
    public var standardCost: Decimal?
    public var currentCost: Decimal?
    public var uofmScheduleId: String?
    public var modifiedDate: GPDate?
    public var createdDate: GPDate?

    public init(itemNumber: String, description: String, shortDescription: String? = nil,
                genericDescription: String? = nil, classId: String? = nil, type: String? = "SalesInventory",
                isInactive: Bool = false, standardCost: Decimal? = nil, currentCost: Decimal? = nil,
                uofmScheduleId: String? = nil, modifiedDate: GPDate? = nil, createdDate: GPDate? = nil) {
        self.itemNumber = itemNumber
        self.description = description
        self.shortDescription = shortDescription
        self.genericDescription = genericDescription
        self.classId = classId
        self.type = type
        self.isInactive = isInactive
        self.standardCost = standardCost
        self.currentCost = currentCost
        self.uofmScheduleId = uofmScheduleId
        self.modifiedDate = modifiedDate
        self.createdDate = createdDate
    }

    /// Discontinued in GP terms: the item type says so, or the item is inactive.
    public var isDiscontinued: Bool {
        isInactive || type?.lowercased() == "discontinued"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        itemNumber = try c.requiredString("ItemNumber", "Key", "Id", "ITEMNMBR")
        description = try c.string("Description", "ITEMDESC") ?? ""
        shortDescription = try c.string("ShortDescription", "ITMSHNAM")
        genericDescription = try c.string("GenericDescription", "ITMGEDSC")
        classId = try c.string("ClassId", "ClassKey", "ITMCLSCD")
        type = try c.string("Type", "ItemType")
        isInactive = try c.bool("IsInactive", "Inactive", "INACTIVE") ?? false
        standardCost = try c.decimal("StandardCost", "STNDCOST")
        currentCost = try c.decimal("CurrentCost", "CURRCOST")
        uofmScheduleId = try c.string("UofMScheduleId", "UofMScheduleKey", "UOMSCHDL")
        modifiedDate = try c.date("ModifiedDate", "LastModifiedDate", "MODIFDT")
        createdDate = try c.date("CreatedDate", "CREATDDT")
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.put(itemNumber, "ItemNumber")
        try c.put(description, "Description")
        try c.put(shortDescription, "ShortDescription")
        try c.put(genericDescription, "GenericDescription")
        try c.put(classId, "ClassId")
        try c.put(type, "Type")
        try c.put(isInactive, "IsInactive")
        try c.put(standardCost, "StandardCost")
        try c.put(currentCost, "CurrentCost")
        try c.put(uofmScheduleId, "UofMScheduleId")
        try c.put(modifiedDate, "ModifiedDate")
        try c.put(createdDate, "CreatedDate")
    }
}
