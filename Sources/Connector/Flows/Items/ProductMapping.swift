import Commerce
import Foundation
import GP

/// A product ready to write, with the content hash of everything the connector sets on it.
public struct MappedProduct: Sendable, Equatable {
    public var product: CommerceProduct
    public var contentHash: String
}

/// GP item + its price on the tenant's price level + its site quantities → a Commerce product.
///
/// - sku = the GP item number (GP pads keys with spaces; trimmed);
/// - quantity = Σ over the mapped sites of (on hand − allocated, never below zero); in stock when > 0;
/// - discontinued or inactive → status 2 (disabled): products are never deleted;
/// - attribute set, visibility, website ids and type come from the tenant's settings.
///
/// Pure: the caller fetched the inputs; the result and its hash depend on nothing else.
public enum ProductMapping {
    /// Bump when the mapping changes on purpose: every product is then written once more.
    public static let version = 1

    public static func map(item: GPItem, prices: [GPItemPrice], sites: [GPItemSite], weight: Decimal? = nil,
                           settings: ItemMappingSettings) -> Result<MappedProduct, SkipReason> {
        let sku = item.itemNumber.trimmingCharacters(in: .whitespaces)
        guard !sku.isEmpty else {
            return .failure(SkipReason(code: "empty_item_number", message: "The GP item has an empty item number."))
        }
        guard sku.count <= 64 else {
            return .failure(SkipReason(code: "sku_too_long",
                                       message: "GP item number \(sku) is longer than Commerce's 64-character SKU limit."))
        }
        guard let price = price(for: sku, in: prices, settings: settings) else {
            return .failure(SkipReason(code: "no_price",
                                       message: "GP item \(sku) has no price on price level \(settings.priceLevel)\(settings.currencyId.map { " in \($0)" } ?? "")."))
        }
        let quantity = quantity(for: sku, in: sites, settings: settings)
        let name = item.description.trimmingCharacters(in: .whitespaces)
        let disabled = item.isDiscontinued
        let product = CommerceProduct(
            sku: sku, name: name.isEmpty ? sku : name, price: price, status: disabled ? 2 : 1,
            visibility: settings.visibility, typeId: settings.typeId, attributeSetId: settings.attributeSetId,
            weight: weight.flatMap { $0 > 0 ? $0 : nil },
            extensionAttributes: .init(websiteIds: settings.websiteIds.sorted(),
                                       stockItem: .init(qty: quantity, isInStock: quantity > 0)))
        return .success(MappedProduct(product: product, contentHash: contentHash(product)))
    }

    /// The hash of the fields this mapping sets (ids and timestamps Commerce adds are ignored).
    public static func contentHash(_ p: CommerceProduct) -> String {
        var e = CanonicalEncoding(kind: "product", version: version)
        e.add("sku", p.sku)
        e.add("name", p.name)
        e.add("price", p.price)
        e.add("status", p.status)
        e.add("visibility", p.visibility)
        e.add("type_id", p.typeId)
        e.add("attribute_set_id", p.attributeSetId)
        e.add("weight", p.weight)
        e.add("website_ids", (p.extensionAttributes?.websiteIds ?? []).map(String.init))
        e.add("qty", p.extensionAttributes?.stockItem?.qty)
        e.add("is_in_stock", p.extensionAttributes?.stockItem?.isInStock)
        return e.sha256
    }

    /// The price list entry for this item on the tenant's level, currency and unit of measure.
    static func price(for sku: String, in prices: [GPItemPrice], settings: ItemMappingSettings) -> Decimal? {
        let level = normalized(settings.priceLevel)
        var candidates = prices.filter { normalized($0.itemNumber) == normalized(sku) && normalized($0.priceLevel) == level }
        if let currency = settings.currencyId.map(normalized) {
            candidates = candidates.filter { normalized($0.currencyId ?? "") == currency }
        } else {
            // Entries without a currency are the functional currency's; several foreign ones and
            // no plain one is ambiguous, so no price rather than a guess.
            let plain = candidates.filter { normalized($0.currencyId ?? "").isEmpty }
            if !plain.isEmpty {
                candidates = plain
            } else if Set(candidates.map { normalized($0.currencyId ?? "") }).count > 1 {
                candidates = []
            }
        }
        if let uofm = settings.uofm.map(normalized) {
            candidates = candidates.filter { normalized($0.uofm) == uofm }
        } else if let each = candidates.first(where: { normalized($0.uofm) == "EACH" }) {
            candidates = [each]
        }
        return candidates.min { normalized($0.uofm) < normalized($1.uofm) }?.unitPrice
    }

    /// Σ available over the mapped sites (all sites when none are mapped).
    static func quantity(for sku: String, in sites: [GPItemSite], settings: ItemMappingSettings) -> Decimal {
        let wanted = Set(settings.sites.map(normalized))
        return sites
            .filter { normalized($0.itemNumber) == normalized(sku) && (wanted.isEmpty || wanted.contains(normalized($0.siteId))) }
            .reduce(Decimal(0)) { $0 + $1.quantityAvailable }
    }

    static func normalized(_ s: String) -> String {
        s.trimmingCharacters(in: .whitespaces).uppercased()
    }
}
