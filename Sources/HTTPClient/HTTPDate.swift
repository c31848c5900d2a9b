/// Parses the three date formats HTTP allows (RFC 9110 §5.6.7) into seconds since 1970 UTC:
///
/// - IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT` (what servers send today)
/// - RFC 850:     `Sunday, 06-Nov-94 08:49:37 GMT` (obsolete; two-digit years 70–99 are 19xx)
/// - asctime:     `Sun Nov  6 08:49:37 1994` (obsolete)
///
/// Pure and locale-free (no DateFormatter), so `Retry-After` means the same on every machine.
public enum HTTPDate {
    public static func parse(_ text: String) -> Int64? {
        let tokens = text.split { $0 == " " || $0 == "," }.map(String.init)
        switch tokens.count {
        case 6 where tokens[5] == "GMT":
            return make(day: tokens[1], month: tokens[2], year: tokens[3], time: tokens[4])
        case 4 where tokens[3] == "GMT":
            let parts = tokens[1].split(separator: "-").map(String.init)
            guard parts.count == 3, parts[2].count == 2, let yy = Int(parts[2]) else { return nil }
            return make(day: parts[0], month: parts[1], year: String(yy >= 70 ? 1900 + yy : 2000 + yy), time: tokens[2])
        case 5:
            return make(day: tokens[2], month: tokens[1], year: tokens[4], time: tokens[3])
        default:
            return nil
        }
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func make(day: String, month: String, year: String, time: String) -> Int64? {
        guard day.count <= 2, year.count == 4,
              let d = Int(day), let y = Int(year),
              let m = months.firstIndex(of: month).map({ $0 + 1 }) else { return nil }
        let clock = time.split(separator: ":")
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }),
              let hh = Int(clock[0]), let mm = Int(clock[1]), let ss = Int(clock[2]),
              (0...23).contains(hh), (0...59).contains(mm), (0...60).contains(ss),
              (1...daysInMonth(m, year: y)).contains(d) else { return nil }
        return daysFromCivil(year: y, month: m, day: d) * 86_400 + Int64(hh * 3600 + mm * 60 + ss)
    }

    private static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
