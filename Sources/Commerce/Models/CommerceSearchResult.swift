/// `{items, search_criteria, total_count}`.
public struct CommerceSearchResult<Item: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var items: [Item]
    public var totalCount: Int

    public init(items: [Item], totalCount: Int) {
        self.items = items
        self.totalCount = totalCount
    }

    enum CodingKeys: String, CodingKey { case items, totalCount }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // Magento sends `items: null` for an empty result in some versions.
        items = try c.decodeIfPresent([Item].self, forKey: .items) ?? []
        totalCount = try c.decode(Int.self, forKey: .totalCount)
    }
}
