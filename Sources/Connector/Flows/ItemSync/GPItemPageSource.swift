import Foundation
import GP

/// Item pages from a GP company through `GPClient`.
///
/// A product changes when its item, its price or any of its site quantities changes, and GP dates
/// each of those rows separately (a sale moves IV00102's quantities, not IV00101's date). So the
/// prices of the tenant's level and the mapped sites' quantities are read whole first (two list
/// calls), and an item is delivered when it, or one of its price or site rows, changed on or after
/// the watermark minus GP's overlap. Unchanged products then cost nothing downstream (hashes).
public struct GPItemPageSource: ItemPageSource {
    public let client: GPClient
    public let settings: ItemMappingSettings

    public init(client: GPClient, settings: ItemMappingSettings) {
        self.client = client
        self.settings = settings
    }

    public func readPages(modifiedSince: GPDate?, onPage: (ItemPage) throws -> Void) throws -> GPDate? {
        let from = modifiedSince.map { $0.adding(days: -client.settings.modifiedOverlapDays) }
        var newest: GPDate?
        var changed = Set<String>()
        func note(_ item: String, _ date: GPDate?) {
            guard let date else { return }
            if newest.map({ date > $0 }) ?? true { newest = date }
            if let from, date >= from { changed.insert(Self.key(item)) }
        }

        var prices: [String: [GPItemPrice]] = [:]
        try client.readItemPrices(priceLevel: settings.priceLevel) { page in
            for p in page {
                prices[Self.key(p.itemNumber), default: []].append(p)
                note(p.itemNumber, p.modifiedDate)
            }
        }
        var sites: [String: [GPItemSite]] = [:]
        let wanted = settings.sites.isEmpty ? nil : Set(settings.sites)
        try client.readItemSites(sites: wanted) { page in
            for s in page {
                sites[Self.key(s.itemNumber), default: []].append(s)
                note(s.itemNumber, s.modifiedDate)
            }
        }
        try client.readItems(modifiedSince: nil) { page in
            var items: [GPItem] = []
            for item in page {
                note(item.itemNumber, item.modifiedDate)
                let key = Self.key(item.itemNumber)
                // Without a date GP gives no way to tell: deliver it (the hash decides).
                if from == nil || item.modifiedDate == nil || changed.contains(key) { items.append(item) }
            }
            guard !items.isEmpty else { return }
            let keys = items.map { Self.key($0.itemNumber) }
            try onPage(ItemPage(items: items, prices: keys.flatMap { prices[$0] ?? [] },
                                sites: keys.flatMap { sites[$0] ?? [] }))
        }
        return newest
    }

    static func key(_ itemNumber: String) -> String {
        itemNumber.trimmingCharacters(in: .whitespaces).uppercased()
    }
}
