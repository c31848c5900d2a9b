import Foundation

/// A Magento `searchCriteria`: filter groups (filters inside a group are OR, groups are AND),
/// sort orders, page size and a **1-based** current page.
///
///     let criteria = SearchCriteria()
///         .filter("updated_at", .gteq, "2024-07-01 00:00:00")
///         .sorted(by: "updated_at").sorted(by: "entity_id")
///         .page(1, size: 100)
///     client.searchOrders(criteria)
///
/// Paging trap: a page past the end returns the **last page again**, never an empty list.
/// Stop with `SearchCriteria.hasMorePages(after:pageSize:totalCount:)`, not on an empty page.
///
/// Keep fewer than 10 filter groups and 10 sort orders: Laminas-era Magento sorts signed
/// parameter names naturally (`[10]` after `[2]`), so larger indexes need
/// `OAuth1Signer.ParameterOrder.natural` for that tenant.
public struct SearchCriteria: Sendable, Equatable {
    public enum Condition: String, Sendable, CaseIterable {
        case eq, neq, gt, gteq, lt, lteq, `in`, nin, like, nlike, null, notnull, from, to, finset, nfinset, moreq
    }

    public struct Filter: Sendable, Equatable {
        public var field: String
        public var condition: Condition
        public var value: String

        public init(_ field: String, _ condition: Condition = .eq, _ value: String) {
            self.field = field
            self.condition = condition
            self.value = value
        }
    }

    public enum Direction: String, Sendable { case ascending = "ASC", descending = "DESC" }

    public struct SortOrder: Sendable, Equatable {
        public var field: String
        public var direction: Direction
        public init(_ field: String, _ direction: Direction = .ascending) {
            self.field = field
            self.direction = direction
        }
    }

    public var filterGroups: [[Filter]]
    public var sortOrders: [SortOrder]
    /// Nil means "all matches" on the server; the client always pages.
    public var pageSize: Int?
    /// 1-based.
    public var currentPage: Int?

    public init(filterGroups: [[Filter]] = [], sortOrders: [SortOrder] = [],
                pageSize: Int? = nil, currentPage: Int? = nil) {
        self.filterGroups = filterGroups
        self.sortOrders = sortOrders
        self.pageSize = pageSize
        self.currentPage = currentPage
    }

    /// Adds a group with one filter (AND with the other groups).
    public func filter(_ field: String, _ condition: Condition = .eq, _ value: String) -> SearchCriteria {
        anyOf([Filter(field, condition, value)])
    }

    /// Adds a group whose filters are OR-ed together.
    public func anyOf(_ filters: [Filter]) -> SearchCriteria {
        var copy = self
        if !filters.isEmpty { copy.filterGroups.append(filters) }
        return copy
    }

    public func sorted(by field: String, _ direction: Direction = .ascending) -> SearchCriteria {
        var copy = self
        copy.sortOrders.append(SortOrder(field, direction))
        return copy
    }

    public func page(_ page: Int, size: Int) -> SearchCriteria {
        var copy = self
        copy.currentPage = page
        copy.pageSize = size
        return copy
    }

    /// True when a page after `currentPage` may hold more rows: `current_page * page_size < total_count`.
    public static func hasMorePages(after currentPage: Int, pageSize: Int, totalCount: Int) -> Bool {
        pageSize > 0 && currentPage * pageSize < totalCount
    }

    /// Magento's timestamp format (`"2024-07-01 00:00:00"`, UTC) for `updated_at` filters.
    public static func timestamp(_ date: Date) -> String {
        let c = Calendar(identifier: .gregorian)
        let parts = c.dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", parts.year ?? 0, parts.month ?? 0,
                      parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }
}
