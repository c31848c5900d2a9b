extension SearchCriteria {
    /// The flat query parameters Magento expects, in snake_case
    /// (`searchCriteria[filter_groups][0][filters][0][field]=…`). An empty criteria is the single
    /// pair `searchCriteria=`, which lists everything (a bare `searchCriteria` is a 400).
    public var queryItems: [(name: String, value: String)] {
        var items: [(name: String, value: String)] = []
        for (g, group) in filterGroups.enumerated() {
            for (f, filter) in group.enumerated() {
                let prefix = "searchCriteria[filter_groups][\(g)][filters][\(f)]"
                items.append(("\(prefix)[field]", filter.field))
                items.append(("\(prefix)[value]", filter.value))
                items.append(("\(prefix)[condition_type]", filter.condition.rawValue))
            }
        }
        for (s, sort) in sortOrders.enumerated() {
            items.append(("searchCriteria[sortOrders][\(s)][field]", sort.field))
            items.append(("searchCriteria[sortOrders][\(s)][direction]", sort.direction.rawValue))
        }
        if let pageSize { items.append(("searchCriteria[pageSize]", String(pageSize))) }
        if let currentPage { items.append(("searchCriteria[currentPage]", String(currentPage))) }
        return items.isEmpty ? [("searchCriteria", "")] : items
    }

    /// `queryItems` RFC 3986-encoded and joined (no leading `?`). Brackets are encoded, which
    /// PHP decodes to the same flat keys and which the OAuth base string signs decoded.
    public var queryString: String {
        queryItems.map { PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value) }
            .joined(separator: "&")
    }
}
