import Glibc

/// The IMF-fixdate for the `Date` header, formatted once per second rather than per response.
/// Each connection keeps its own copy (`DateHeader.Cache`): a shared cache behind a lock was the
/// top contention point with 32 busy connection threads.
enum DateHeader {
    struct Cache {
        var second = -1
        var line: [UInt8] = []

        mutating func current() -> [UInt8] {
            let now = time(nil)
            if now != second {
                second = now
                line = Array("Date: \(DateHeader.format(now))\r\n".utf8)
            }
            return line
        }
    }

    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Date: Thu, 26 Nov 2026 16:08:22 GMT\r\n` as bytes, for one-off responses.
    static func line() -> [UInt8] {
        var cache = Cache()
        return cache.current()
    }

    static func format(_ t: time_t) -> String {
        var t = t
        var tm = tm()
        gmtime_r(&t, &tm)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[Int(tm.tm_wday)]), \(two(tm.tm_mday)) \(months[Int(tm.tm_mon)]) \(tm.tm_year + 1900) "
            + "\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec)) GMT"
    }
}
