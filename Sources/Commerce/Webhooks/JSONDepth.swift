/// Measures how deeply a JSON text nests objects and arrays without parsing it, so a hostile
/// body (`[[[[…`) is refused before Foundation's recursive parser sees it.
enum JSONDepth {
    /// True when no object/array nests deeper than `limit`. Brackets inside strings are ignored.
    static func isWithin(_ body: some Collection<UInt8>, limit: Int) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in body {
            if inString {
                if escaped { escaped = false }
                else if byte == UInt8(ascii: "\\") { escaped = true }
                else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > limit { return false }
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return true
    }
}
