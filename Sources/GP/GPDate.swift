import Foundation

/// A GP calendar date with no time of day.
///
/// GP stores `MODIFDT`/`CREATDDT` and document dates as dates at midnight, so a record changed at
/// 23:59 carries the same date as one changed at 00:01. Watermarks and filters therefore work in
/// whole days and re-read an overlap (see `GPSettings.modifiedOverlapDays`).
public struct GPDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil when the parts do not form a real calendar date.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...GPDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The UTC calendar day of an instant.
    public init(_ date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        self.year = parts.year!
        self.month = parts.month!
        self.day = parts.day!
    }

    /// Parses the forms a GP server may send: `2024-05-01`, `2024-05-01T00:00:00[.fff][Z|±hh:mm]`
    /// (the time part is ignored: GP dates are date-only) and WCF's `/Date(1714521600000)/`.
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("/Date(") {
            let inner = t.dropFirst(6).prefix { $0 == "-" || $0.isNumber }
            guard let millis = Int64(inner) else { return nil }
            self.init(Date(timeIntervalSince1970: Double(millis) / 1000))
            return
        }
        let chars = Array(t.utf8)
        guard chars.count >= 10, chars[4] == UInt8(ascii: "-"), chars[7] == UInt8(ascii: "-"),
              chars.count == 10 || chars[10] == UInt8(ascii: "T") || chars[10] == UInt8(ascii: " "),
              let y = Int(String(t.prefix(4))),
              let m = Int(String(t.dropFirst(5).prefix(2))),
              let d = Int(String(t.dropFirst(8).prefix(2)))
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// `yyyy-MM-dd`.
    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// Midnight UTC of this day.
    public var date: Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day))!
    }

    /// This day moved by `days` (negative goes back).
    public func adding(days: Int) -> GPDate {
        GPDate(date.addingTimeInterval(Double(days) * 86_400))
    }

    public static func < (a: GPDate, b: GPDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// How dates are written in request bodies. UNCONFIRMED for SBA, hence a setting.
public enum GPDateStyle: String, Sendable, Codable, CaseIterable {
    /// `2024-05-01`
    case isoDate = "iso_date"
    /// `2024-05-01T00:00:00`
    case isoDateTime = "iso_date_time"
    /// WCF DataContractJsonSerializer's `/Date(1714521600000)/`
    case wcf

    func format(_ d: GPDate) -> String {
        switch self {
        case .isoDate: return d.description
        case .isoDateTime: return d.description + "T00:00:00"
        case .wcf: return "/Date(\(Int64(d.date.timeIntervalSince1970) * 1000))/"
        }
    }
}

extension CodingUserInfoKey {
    /// Carries a `GPDateStyle` into `GPDate.encode(to:)`.
    static let gpDateStyle = CodingUserInfoKey(rawValue: "gpDateStyle")!
}

extension GPDate: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let d = GPDate(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a GP date: \(text.prefix(40))")
        }
        self = d
    }

    public func encode(to encoder: Encoder) throws {
        let style = encoder.userInfo[.gpDateStyle] as? GPDateStyle ?? .isoDateTime
        var c = encoder.singleValueContainer()
        try c.encode(style.format(self))
    }
}
