import Foundation

/// A catalog product (`catalog-data-product-interface`), the fields the connector writes and reads.
/// `status` 1 = enabled, 2 = disabled; `visibility` 4 = Catalog, Search (standard values).
public struct CommerceProduct: Codable, Sendable, Equatable {
    public struct StockItem: Codable, Sendable, Equatable {
        public var itemId: Int?
        public var productId: Int?
        public var stockId: Int?
        public var qty: Decimal?
        public var isInStock: Bool?
        public init(qty: Decimal?, isInStock: Bool?) {
            self.qty = qty
            self.isInStock = isInStock
        }
    }

    public struct ExtensionAttributes: Codable, Sendable, Equatable {
        public var websiteIds: [Int]?
        public var stockItem: StockItem?
        public init(websiteIds: [Int]? = nil, stockItem: StockItem? = nil) {
            self.websiteIds = websiteIds
            self.stockItem = stockItem
        }
    }

    public var id: Int?
    public var sku: String
    public var name: String?
    public var attributeSetId: Int?
    public var price: Decimal?
    public var status: Int?
    public var visibility: Int?
    public var typeId: String?
    public var weight: Decimal?
    public var createdAt: String?
    public var updatedAt: String?
    public var extensionAttributes: ExtensionAttributes?
    public var customAttributes: [CommerceCustomAttribute]?

    public init(sku: String, name: String? = nil, price: Decimal? = nil, status: Int? = nil, visibility: Int? = nil,
                typeId: String? = nil, attributeSetId: Int? = nil, weight: Decimal? = nil,
                extensionAttributes: ExtensionAttributes? = nil, customAttributes: [CommerceCustomAttribute]? = nil) {
        self.sku = sku
        self.name = name
        self.price = price
        self.status = status
        self.visibility = visibility
        self.typeId = typeId
        self.attributeSetId = attributeSetId
        self.weight = weight
        self.extensionAttributes = extensionAttributes
        self.customAttributes = customAttributes
    }
}
