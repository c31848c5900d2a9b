import Foundation

/// Magento's `searchCriteria` as the simulator evaluates it: snake_case and camelCase names,
/// OR inside a filter group, AND across groups, the common condition types, sort orders,
/// 1-based pages, and the collection quirk that a page past the end returns the last page.
struct CommerceSimSearch {
    struct Filter { var field: String; var value: String; var condition: String }
    struct Sort { var field: String; var ascending: Bool }

    var groups: [[Filter]] = []
    var sorts: [Sort] = []
    var pageSize: Int?
    var currentPage: Int?

    enum ParseResult { case criteria(CommerceSimSearch), missing }

    /// Reads `searchCriteria[…]` query items. No `searchCriteria` key at all → `.missing` (400).
    static func parse(_ items: [(String, String)]) -> ParseResult {
        var present = false
        var groupMap: [Int: [Int: [String: String]]] = [:]
        var sortMap: [Int: [String: String]] = [:]
        var search = CommerceSimSearch()
        for (name, value) in items where name.hasPrefix("searchCriteria") {
            present = true
            let keys = Self.bracketKeys(name.dropFirst("searchCriteria".count))
            guard let first = keys.first.map(Self.snake) else { continue }
            switch first {
            case "filter_groups" where keys.count == 5 && Self.snake(keys[2]) == "filters":
                guard let g = Int(keys[1]), let f = Int(keys[3]) else { continue }
                groupMap[g, default: [:]][f, default: [:]][Self.snake(keys[4])] = value
            case "sort_orders" where keys.count == 3:
                guard let s = Int(keys[1]) else { continue }
                sortMap[s, default: [:]][Self.snake(keys[2])] = value
            case "page_size" where keys.count == 1: search.pageSize = Int(value)
            case "current_page" where keys.count == 1: search.currentPage = Int(value)
            default: continue
            }
        }
        guard present else { return .missing }
        search.groups = groupMap.sorted { $0.key < $1.key }.map { group in
            group.value.sorted { $0.key < $1.key }.compactMap { entry in
                guard let field = entry.value["field"] else { return nil }
                return Filter(field: field, value: entry.value["value"] ?? "",
                              condition: (entry.value["condition_type"] ?? "eq").lowercased())
            }
        }.filter { !$0.isEmpty }
        search.sorts = sortMap.sorted { $0.key < $1.key }.compactMap { entry in
            guard let field = entry.value["field"] else { return nil }
            return Sort(field: field, ascending: (entry.value["direction"] ?? "ASC").uppercased() != "DESC")
        }
        return .criteria(search)
    }

    /// `{items, search_criteria, total_count}` for `rows` (already in id order).
    func run(_ rows: [[String: Any]]) -> [String: Any] {
        var matched = rows.filter { row in groups.allSatisfy { group in group.contains { Self.matches(row, $0) } } }
        if !sorts.isEmpty {
            matched.sort { a, b in
                for sort in sorts {
                    let order = Self.compare(a[sort.field], b[sort.field])
                    if order != .orderedSame { return sort.ascending ? order == .orderedAscending : order == .orderedDescending }
                }
                return false
            }
        }
        let total = matched.count
        var page = matched
        if let pageSize, pageSize > 0 {
            let lastPage = max(1, (total + pageSize - 1) / pageSize)
            // Magento's collections clamp: a page past the end is the last page again.
            let current = min(max(1, currentPage ?? 1), lastPage)
            page = Array(matched.dropFirst((current - 1) * pageSize).prefix(pageSize))
        }
        var criteria: [String: Any] = [
            "filter_groups": groups.map { ["filters": $0.map { ["field": $0.field, "value": $0.value, "condition_type": $0.condition] }] },
        ]
        if !sorts.isEmpty { criteria["sort_orders"] = sorts.map { ["field": $0.field, "direction": $0.ascending ? "ASC" : "DESC"] } }
        if let pageSize { criteria["page_size"] = pageSize }
        if let currentPage { criteria["current_page"] = currentPage }
        return ["items": page, "search_criteria": criteria, "total_count": total]
    }

    static func matches(_ row: [String: Any], _ filter: Filter) -> Bool {
        let value = row[filter.field] ?? customAttribute(row, filter.field)
        let isNull = value == nil || value is NSNull
        switch filter.condition {
        case "null": return isNull
        case "notnull": return !isNull
        default: break
        }
        guard !isNull, let value else { return filter.condition == "neq" || filter.condition == "nin" || filter.condition == "nlike" }
        let order = compare(value, filter.value)
        let list = filter.value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        switch filter.condition {
        case "eq": return order == .orderedSame
        case "neq": return order != .orderedSame
        case "gt": return order == .orderedDescending
        case "gteq", "from", "moreq": return order != .orderedAscending
        case "lt": return order == .orderedAscending
        case "lteq", "to": return order != .orderedDescending
        case "in": return list.contains { compare(value, $0) == .orderedSame }
        case "nin": return !list.contains { compare(value, $0) == .orderedSame }
        case "like": return like(text(value), filter.value)
        case "nlike": return !like(text(value), filter.value)
        case "finset": return text(value).split(separator: ",").contains { String($0) == filter.value }
        case "nfinset": return !text(value).split(separator: ",").contains { String($0) == filter.value }
        default: return false
        }
    }

    /// MySQL-like: numbers numerically, strings case-insensitively (utf8 general collation).
    static func compare(_ a: Any?, _ b: Any?) -> ComparisonResult {
        let x = a.map(text) ?? "", y = b.map(text) ?? ""
        if let dx = Double(x), let dy = Double(y) { return dx == dy ? .orderedSame : (dx < dy ? .orderedAscending : .orderedDescending) }
        return x.caseInsensitiveCompare(y)
    }

    static func text(_ value: Any) -> String {
        switch value {
        case let s as String: s
        case let n as NSNumber: n.stringValue
        default: String(describing: value)
        }
    }

    /// SQL LIKE with `%` and `_`, case-insensitive.
    static func like(_ text: String, _ pattern: String) -> Bool {
        var regex = "^"
        for ch in pattern {
            switch ch {
            case "%": regex += ".*"
            case "_": regex += "."
            default: regex += NSRegularExpression.escapedPattern(for: String(ch))
            }
        }
        return text.range(of: regex + "$", options: [.regularExpression, .caseInsensitive]) != nil
    }

    private static func customAttribute(_ row: [String: Any], _ code: String) -> Any? {
        (row["custom_attributes"] as? [[String: Any]])?.first { ($0["attribute_code"] as? String) == code }?["value"]
    }

    /// `[filter_groups][0][filters][1][field]` → ["filter_groups", "0", "filters", "1", "field"].
    private static func bracketKeys(_ s: Substring) -> [String] {
        s.split(separator: "]").map { $0.hasPrefix("[") ? String($0.dropFirst()) : String($0) }
    }

    /// `filterGroups` → `filter_groups`, `conditionType` → `condition_type`.
    private static func snake(_ s: String) -> String {
        var out = ""
        for ch in s {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }
}
