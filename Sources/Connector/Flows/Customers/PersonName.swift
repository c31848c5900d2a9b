import Foundation

/// A first and last name for Commerce, split from one GP name field.
///
/// Commerce requires both. GP holds one name (often a contact person, sometimes a company):
/// `Smith, John` → John / Smith; `Mary Ann Smith` → Mary Ann / Smith (the last word is the family
/// name); a single word fills both, so the account is never rejected for an empty last name.
public struct PersonName: Sendable, Equatable {
    public var first: String
    public var last: String

    public init(first: String, last: String) {
        self.first = first
        self.last = last
    }

    public init?(splitting full: String) {
        let collapsed = full.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !collapsed.isEmpty else { return nil }
        if let comma = collapsed.firstIndex(of: ",") {
            let last = collapsed[..<comma].trimmingCharacters(in: .whitespaces)
            let first = collapsed[collapsed.index(after: comma)...].trimmingCharacters(in: .whitespaces)
            if !first.isEmpty && !last.isEmpty {
                self.init(first: String(first.prefix(255)), last: String(last.prefix(255)))
                return
            }
        }
        let words = collapsed.split { $0 == " " || $0 == "," }
        guard !words.isEmpty else { return nil }
        if words.count == 1 {
            self.init(first: String(words[0].prefix(255)), last: String(words[0].prefix(255)))
        } else {
            self.init(first: String(words.dropLast().joined(separator: " ").prefix(255)),
                      last: String(words.last!.prefix(255)))
        }
    }
}
