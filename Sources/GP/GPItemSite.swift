import Foundation

/// An item's quantities at one GP site (IV00102).
public struct GPItemSite: Sendable, Equatable, Codable {
    public var itemNumber: String
    public var siteId: String
    public var quantityOnHand: Decimal
    public var quantityAllocated: Decimal
    public var modifiedDate: GPDate?

    public init(itemNumber: String, siteId: String, quantityOnHand: Decimal, quantityAllocated: Decimal = 0,
                modifiedDate: GPDate? = nil) {
        self.itemNumber = itemNumber
        self.siteId = siteId
        self.quantityOnHand = quantityOnHand
        self.quantityAllocated = quantityAllocated
        self.modifiedDate = modifiedDate
    }

    /// What can be sold: on hand minus allocated, never below zero.
    public var quantityAvailable: Decimal {
        max(0, quantityOnHand - quantityAllocated)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        itemNumber = try c.requiredString("ItemNumber", "ItemKey", "ITEMNMBR")
        siteId = try c.requiredString("SiteId", "SiteKey", "Warehouse", "LOCNCODE")
        quantityOnHand = try c.decimal("QuantityOnHand", "QTYONHND") ?? 0
        quantityAllocated = try c.decimal("QuantityAllocated", "ATYALLOC") ?? 0
        modifiedDate = try c.date("ModifiedDate", "LastModifiedDate", "MODIFDT")
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.put(itemNumber, "ItemNumber")
        try c.put(siteId, "SiteId")
        try c.put(quantityOnHand, "QuantityOnHand")
        try c.put(quantityAllocated, "QuantityAllocated")
        try c.put(modifiedDate, "ModifiedDate")
    }
}
