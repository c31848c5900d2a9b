import Foundation

/// One price of an item on a GP price list (IV00108): item, price level, unit of measure, currency.
public struct GPItemPrice: Sendable, Equatable, Codable {
    public var itemNumber: String
    public var priceLevel: String
    public var uofm: String
    public var currencyId: String?
    public var unitPrice: Decimal
    public var modifiedDate: GPDate?

    public init(itemNumber: String, priceLevel: String, uofm: String = "Each", currencyId: String? = nil,
                unitPrice: Decimal, modifiedDate: GPDate? = nil) {
        self.itemNumber = itemNumber
        self.priceLevel = priceLevel
        self.uofm = uofm
        self.currencyId = currencyId
        self.unitPrice = unitPrice
        self.modifiedDate = modifiedDate
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        itemNumber = try c.requiredString("ItemNumber", "ItemKey", "ITEMNMBR")
        priceLevel = try c.requiredString("PriceLevel", "PriceLevelKey", "PRCLEVEL")
        uofm = try c.string("UofM", "UOFM") ?? ""
        currencyId = try c.string("CurrencyId", "CurrencyKey", "CURNCYID")
        guard let price = try c.decimal("UnitPrice", "Price", "Amount", "UOMPRICE") else {
            throw DecodingError.keyNotFound(AnyKey("UnitPrice"), .init(codingPath: c.codingPath, debugDescription: "missing UnitPrice"))
        }
        unitPrice = price
        modifiedDate = try c.date("ModifiedDate", "LastModifiedDate", "MODIFDT")
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.put(itemNumber, "ItemNumber")
        try c.put(priceLevel, "PriceLevel")
        try c.put(uofm, "UofM")
        try c.put(currencyId, "CurrencyId")
        try c.put(unitPrice, "UnitPrice")
        try c.put(modifiedDate, "ModifiedDate")
    }
}
