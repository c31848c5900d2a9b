/// PHP `strnatcmp`-style ordering: runs of digits compare by numeric value, everything else
/// byte-wise. Used only for Laminas-era Magento, which sorts OAuth parameter names this way.
enum NaturalOrder {
    static func precedes(_ a: String, _ b: String) -> Bool { compare(Array(a.utf8), Array(b.utf8)) < 0 }

    static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if isDigit(a[i]) && isDigit(b[j]) {
                let (runA, nextI) = digitRun(a, from: i)
                let (runB, nextJ) = digitRun(b, from: j)
                if runA.count != runB.count { return runA.count < runB.count ? -1 : 1 }
                if runA != runB { return runA.lexicographicallyPrecedes(runB) ? -1 : 1 }
                i = nextI
                j = nextJ
                continue
            }
            if a[i] != b[j] { return a[i] < b[j] ? -1 : 1 }
            i += 1
            j += 1
        }
        return (a.count - i) == (b.count - j) ? 0 : (i == a.count ? -1 : 1)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    /// The run of digits starting at `start` without leading zeros, and the index after it.
    private static func digitRun(_ s: [UInt8], from start: Int) -> ([UInt8], Int) {
        var end = start
        while end < s.count && isDigit(s[end]) { end += 1 }
        var first = start
        while first < end - 1 && s[first] == 48 { first += 1 }
        return (Array(s[first..<end]), end)
    }
}
