import Commerce
import Connector
import Foundation
import GP

/// Item pages from memory; optionally fails after delivering `failAfter` pages (a crash mid-run).
final class ListItemSource: ItemPageSource {
    var pages: [ItemPage]
    var newest: GPDate?
    var failAfter: Int?
    private(set) var askedSince: [GPDate?] = []

    init(pages: [ItemPage], newest: GPDate?) {
        self.pages = pages
        self.newest = newest
    }

    struct Crash: Error {}

    func readPages(modifiedSince: GPDate?, onPage: (ItemPage) throws -> Void) throws -> GPDate? {
        askedSince.append(modifiedSince)
        for (index, page) in pages.enumerated() {
            if let failAfter, index >= failAfter { throw Crash() }
            try onPage(page)
        }
        return newest
    }
}

/// Remembers what it was asked to write; refuses the SKUs in `reject`.
final class RecordingWriter: ProductWriter {
    var reject: Set<String> = []
    private(set) var single: [CommerceProduct] = []
    private(set) var bulks: [[CommerceProduct]] = []

    func upsert(_ products: [CommerceProduct]) throws -> [ProductWriteOutcome] {
        single += products
        return products.map(outcome)
    }

    func bulkUpsert(_ products: [CommerceProduct]) throws -> [ProductWriteOutcome] {
        bulks.append(products)
        return products.map(outcome)
    }

    private func outcome(_ p: CommerceProduct) -> ProductWriteOutcome {
        reject.contains(p.sku) ? .rejected(RecordError(code: "commerce_rejected", message: "Invalid product data: \(p.sku)")) : .written
    }

    var writes: Int { single.count + bulks.reduce(0) { $0 + $1.count } }
}

enum ItemFixtures {
    static func page(_ numbers: [String], price: Decimal = 10, onHand: Decimal = 5) -> ItemPage {
        ItemPage(items: numbers.map { GPItem(itemNumber: $0, description: "Item \($0)") },
                 prices: numbers.map { GPItemPrice(itemNumber: $0, priceLevel: "RETAIL", unitPrice: price) },
                 sites: numbers.map { GPItemSite(itemNumber: $0, siteId: "MAIN", quantityOnHand: onHand) })
    }
}
