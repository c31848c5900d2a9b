import Foundation

/// GP's date-only dates inside the simulator, kept as `yyyy-MM-dd` strings (which sort in date
/// order) and sent as `yyyy-MM-ddT00:00:00`.
enum GPSimDay {
    /// The `yyyy-MM-dd` day of `2024-05-01`, `2024-05-01T13:45:00Z`, or WCF `/Date(ms)/`; nil if
    /// none.
    static func parse(_ text: String) -> String? {
        if text.hasPrefix("/Date("), let ms = Int64(text.dropFirst(6).prefix { $0 == "-" || $0.isNumber }) {
            return format(Date(timeIntervalSince1970: Double(ms) / 1000))
        }
        let head = String(text.prefix(10))
        let parts = head.split(separator: "-")
        guard head.count == 10, parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...9999).contains(y), (1...12).contains(m), (1...31).contains(d) else { return nil }
        if text.count > 10, !(text.dropFirst(10).first == "T" || text.dropFirst(10).first == " ") { return nil }
        return head
    }

    static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    static func wire(_ day: String) -> String { day + "T00:00:00" }

    static func today() -> String { format(Date()) }

    /// `day` moved by `offset` days.
    static func adding(_ offset: Int, to day: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = day.split(separator: "-").compactMap { Int($0) }
        let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))!
        return format(date.addingTimeInterval(Double(offset) * 86_400))
    }
}
