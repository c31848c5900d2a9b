import Foundation

/// Text conversions between `Date` and PostgreSQL timestamps, in integer arithmetic so a value
/// keeps its microseconds exactly on a round trip (no DateFormatter, no locale, thread-safe).
///
/// Reading accepts what the server prints with `DateStyle=ISO` (set on every connection):
/// `2024-05-01 12:30:00.123456+00`, offsets like `+05:30`, `T` or `Z`, a bare date, `infinity`.
public enum PostgresTimestamp {
    /// `2024-05-01T12:30:00.123456Z`.
    public static func format(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let secs = floorDiv(micros, 1_000_000)
        let fraction = micros - secs * 1_000_000
        let days = floorDiv(secs, 86_400)
        let secondOfDay = secs - days * 86_400
        let (y, m, d) = civil(fromDays: days)
        let bc = y <= 0
        var out = pad(bc ? 1 - y : y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
        out += "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        out += "." + pad(fraction, 6) + "Z"
        return bc ? out + " BC" : out
    }

    /// Parses PostgreSQL's ISO output; a value without an offset is taken as UTC.
    public static func parse(_ text: String) -> Date? {
        if text == "infinity" { return .distantFuture }
        if text == "-infinity" { return .distantPast }
        var s = Substring(text)
        var bc = false
        if s.hasSuffix(" BC") { bc = true; s = s.dropLast(3) }
        var scanner = DigitScanner(s)
        guard var year = scanner.number(minDigits: 4), scanner.take("-"),
              let month = scanner.number(minDigits: 2), scanner.take("-"),
              let day = scanner.number(minDigits: 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        if bc { year = 1 - year }
        var seconds = daysFromCivil(year, month, day) * 86_400
        var micros: Int64 = 0
        if scanner.take(" ") || scanner.take("T") {
            guard let hh = scanner.number(minDigits: 2), scanner.take(":"),
                  let mm = scanner.number(minDigits: 2), scanner.take(":"),
                  let ss = scanner.number(minDigits: 2), hh <= 24, mm < 60, ss <= 60 else { return nil }
            seconds += hh * 3600 + mm * 60 + ss
            if scanner.take(".") {
                guard let (digits, count) = scanner.fraction() else { return nil }
                micros = digits
                for _ in count..<6 { micros *= 10 }
            }
            if scanner.take("Z") {
            } else if let sign = scanner.sign() {
                guard let oh = scanner.number(minDigits: 2) else { return nil }
                var offset = oh * 3600
                if scanner.take(":") {
                    guard let om = scanner.number(minDigits: 2) else { return nil }
                    offset += om * 60
                    if scanner.take(":") {
                        guard let os = scanner.number(minDigits: 2) else { return nil }
                        offset += os
                    }
                }
                seconds -= sign * offset
            }
        }
        guard scanner.atEnd else { return nil }
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }

    // Howard Hinnant's civil calendar algorithms (proleptic Gregorian, any year).
    static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// A tiny cursor over ASCII digits and separators; no allocation, no Foundation scanner.
private struct DigitScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ text: Substring) { bytes = Array(text.utf8) }

    var atEnd: Bool { index == bytes.count }

    mutating func take(_ char: Character) -> Bool {
        guard index < bytes.count, bytes[index] == char.asciiValue else { return false }
        index += 1
        return true
    }

    mutating func sign() -> Int64? {
        if take("+") { return 1 }
        if take("-") { return -1 }
        return nil
    }

    mutating func number(minDigits: Int) -> Int64? {
        let start = index
        var value: Int64 = 0
        while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57, index - start < 9 {
            value = value * 10 + Int64(bytes[index] - 48)
            index += 1
        }
        return index - start >= minDigits ? value : nil
    }

    /// Up to six fractional digits as microseconds-to-be; extra digits are dropped.
    mutating func fraction() -> (Int64, Int)? {
        var value: Int64 = 0
        var count = 0
        while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
            if count < 6 { value = value * 10 + Int64(bytes[index] - 48); count += 1 }
            index += 1
        }
        return count > 0 ? (value, count) : nil
    }
}
