import Commerce
import Connector
import Foundation
import GP
import Testing

@Suite struct ProductMappingTests {
    static let item = GPItem(itemNumber: "WIDGET-1  ", description: "Blue widget")
    static let prices = [
        GPItemPrice(itemNumber: "WIDGET-1", priceLevel: "RETAIL", uofm: "Each", unitPrice: Decimal(string: "19.99")!),
        GPItemPrice(itemNumber: "WIDGET-1", priceLevel: "RETAIL", uofm: "Box", unitPrice: Decimal(string: "180.00")!),
        GPItemPrice(itemNumber: "WIDGET-1", priceLevel: "WHOLESALE", uofm: "Each", unitPrice: Decimal(string: "12.50")!),
        GPItemPrice(itemNumber: "WIDGET-1", priceLevel: "RETAIL", uofm: "Each", currencyId: "EUR", unitPrice: Decimal(string: "18.00")!),
    ]
    static let sites = [
        GPItemSite(itemNumber: "WIDGET-1", siteId: "MAIN", quantityOnHand: 10, quantityAllocated: 3),
        GPItemSite(itemNumber: "WIDGET-1", siteId: "EAST", quantityOnHand: 5, quantityAllocated: 0),
        GPItemSite(itemNumber: "WIDGET-1", siteId: "WEST", quantityOnHand: 2, quantityAllocated: 9),
        GPItemSite(itemNumber: "OTHER", siteId: "MAIN", quantityOnHand: 100),
    ]

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var settings: ItemMappingSettings
        var item: GPItem = ProductMappingTests.item
        var price: Decimal?
        var qty: Decimal = 0
        var inStock = false
        var status = 1
        var skipCode: String?
        var testDescription: String { name }
    }

    static func settings(_ edit: (inout ItemMappingSettings) -> Void) -> ItemMappingSettings {
        var s = ItemMappingSettings()
        edit(&s)
        return s
    }

    static let cases: [Case] = [
        Case(name: "retail Each price, all sites, negative site clamps to zero",
             settings: ItemMappingSettings(), price: Decimal(string: "19.99")!, qty: 12, inStock: true),
        Case(name: "mapped sites only", settings: settings { $0.sites = ["main"] }, price: Decimal(string: "19.99")!, qty: 7, inStock: true),
        Case(name: "wholesale level", settings: settings { $0.priceLevel = "wholesale"; $0.sites = ["EAST"] },
             price: Decimal(string: "12.5")!, qty: 5, inStock: true),
        Case(name: "chosen unit of measure", settings: settings { $0.uofm = "BOX" }, price: 180, qty: 12, inStock: true),
        Case(name: "chosen currency", settings: settings { $0.currencyId = "eur" }, price: 18, qty: 12, inStock: true),
        Case(name: "a site with nothing available is out of stock", settings: settings { $0.sites = ["WEST"] },
             price: Decimal(string: "19.99")!, qty: 0, inStock: false),
        Case(name: "discontinued type disables", settings: ItemMappingSettings(),
             item: GPItem(itemNumber: "WIDGET-1", description: "Blue widget", type: "Discontinued"),
             price: Decimal(string: "19.99")!, qty: 12, inStock: true, status: 2),
        Case(name: "inactive disables", settings: ItemMappingSettings(),
             item: GPItem(itemNumber: "WIDGET-1", description: "Blue widget", isInactive: true),
             price: Decimal(string: "19.99")!, qty: 12, inStock: true, status: 2),
        Case(name: "no price on the level is skipped", settings: settings { $0.priceLevel = "EXPORT" }, skipCode: "no_price"),
        Case(name: "currency with no entry is skipped", settings: settings { $0.currencyId = "GBP" }, skipCode: "no_price"),
        Case(name: "empty item number is skipped", settings: ItemMappingSettings(),
             item: GPItem(itemNumber: "   ", description: "x"), skipCode: "empty_item_number"),
    ]

    @Test("maps a GP item to a product", arguments: cases)
    func mapsItem(_ c: Case) throws {
        let result = ProductMapping.map(item: c.item, prices: Self.prices, sites: Self.sites, settings: c.settings)
        switch result {
        case .failure(let reason):
            #expect(reason.code == c.skipCode)
        case .success(let mapped):
            #expect(c.skipCode == nil)
            let p = mapped.product
            #expect(p.sku == "WIDGET-1")
            #expect(p.name == "Blue widget")
            #expect(p.price == c.price)
            #expect(p.status == c.status)
            #expect(p.extensionAttributes?.stockItem?.qty == c.qty)
            #expect(p.extensionAttributes?.stockItem?.isInStock == c.inStock)
            #expect(p.attributeSetId == c.settings.attributeSetId)
            #expect(p.visibility == c.settings.visibility)
            #expect(p.extensionAttributes?.websiteIds == c.settings.websiteIds)
            #expect(mapped.contentHash.count == 64)
        }
    }

    @Test func theHashIsStableAndIgnoresDecimalFormatting() throws {
        let a = try #require(try? ProductMapping.map(item: Self.item, prices: Self.prices, sites: Self.sites,
                                                     settings: ItemMappingSettings()).get())
        var prices = Self.prices
        prices[0].unitPrice = Decimal(string: "19.990")!
        let b = try #require(try? ProductMapping.map(item: Self.item, prices: prices, sites: Self.sites,
                                                     settings: ItemMappingSettings()).get())
        #expect(a.contentHash == b.contentHash)
        #expect(a.contentHash == ProductMapping.contentHash(a.product))
    }

    @Test func anyWrittenFieldChangesTheHash() throws {
        let base = try ProductMapping.map(item: Self.item, prices: Self.prices, sites: Self.sites, settings: ItemMappingSettings()).get()
        var variants: [CommerceProduct] = []
        var p = base.product; p.name = "Red widget"; variants.append(p)
        p = base.product; p.price = 20; variants.append(p)
        p = base.product; p.status = 2; variants.append(p)
        p = base.product; p.extensionAttributes?.stockItem?.qty = 11; variants.append(p)
        p = base.product; p.extensionAttributes?.websiteIds = [1, 2]; variants.append(p)
        p = base.product; p.weight = 1; variants.append(p)
        let hashes = Set(variants.map(ProductMapping.contentHash) + [base.contentHash])
        #expect(hashes.count == variants.count + 1)
    }

    @Test func weightIsSentOnlyWhenPositive() throws {
        let with = try ProductMapping.map(item: Self.item, prices: Self.prices, sites: [], weight: Decimal(string: "2.5"),
                                          settings: ItemMappingSettings()).get()
        let zero = try ProductMapping.map(item: Self.item, prices: Self.prices, sites: [], weight: 0,
                                          settings: ItemMappingSettings()).get()
        #expect(with.product.weight == Decimal(string: "2.5"))
        #expect(zero.product.weight == nil)
        #expect(zero.product.extensionAttributes?.stockItem?.isInStock == false)
    }

    @Test func settingsDecodeWithDefaultsForMissingFields() throws {
        let s = try JSONDecoder().decode(ItemMappingSettings.self, from: Data(#"{"price_level":"WEB","sites":["MAIN"],"website_ids":[2,3]}"#.utf8))
        #expect(s.priceLevel == "WEB")
        #expect(s.sites == ["MAIN"])
        #expect(s.websiteIds == [2, 3])
        #expect(s.visibility == 4)
        #expect(s.bulkThreshold == 50)
    }
}
