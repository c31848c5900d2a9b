/// Finds value boundaries in JSON text without building the values.
///
/// A list answer from GP can hold a whole catalog; decoding it at once would hold every record as
/// Swift values. The scanner walks the bytes and hands out one element's byte range at a time, so
/// only a page of decoded records exists at any moment. It validates structure only as far as it
/// needs to find boundaries; each element is then decoded (and fully validated) by `JSONDecoder`.
struct JSONScanner {
    enum Failure: Error, Equatable {
        case malformed(at: Int, expected: String)
    }

    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func skipWhitespace(_ i: Int) -> Int {
        var i = i
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        return i
    }

    /// The index just past the value starting at `i` (after whitespace).
    func endOfValue(_ start: Int) throws(Failure) -> Int {
        var i = skipWhitespace(start)
        guard i < bytes.count else { throw .malformed(at: i, expected: "a value") }
        switch bytes[i] {
        case UInt8(ascii: "\""):
            return try endOfString(i)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "\""): i = try endOfString(i); continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return i + 1 }
                default: break
                }
                i += 1
            }
            throw .malformed(at: i, expected: "a closing bracket")
        default:
            let begin = i
            while i < bytes.count, !Self.isDelimiter(bytes[i]) { i += 1 }
            guard i > begin else { throw .malformed(at: i, expected: "a value") }
            return i
        }
    }

    /// `i` is at the opening quote; returns the index past the closing quote.
    func endOfString(_ i: Int) throws(Failure) -> Int {
        var j = i + 1
        while j < bytes.count {
            if bytes[j] == UInt8(ascii: "\\") { j += 2; continue }
            if bytes[j] == UInt8(ascii: "\"") { return j + 1 }
            j += 1
        }
        throw .malformed(at: j, expected: "a closing quote")
    }

    /// The byte range of the member `key` of the object value at `start`; nil if absent.
    /// Keys are compared as raw bytes (our envelope key has no escapes).
    func member(_ key: String, ofObjectAt start: Int) throws(Failure) -> Range<Int>? {
        var i = skipWhitespace(start)
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { throw .malformed(at: i, expected: "an object") }
        let wanted = Array(key.utf8)
        i = skipWhitespace(i + 1)
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { return nil }
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "\"") else { throw .malformed(at: i, expected: "a member name") }
            let keyEnd = try endOfString(i)
            let name = bytes[(i + 1)..<(keyEnd - 1)]
            i = skipWhitespace(keyEnd)
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw .malformed(at: i, expected: ":") }
            let valueStart = skipWhitespace(i + 1)
            let valueEnd = try endOfValue(valueStart)
            if name.elementsEqual(wanted) { return valueStart..<valueEnd }
            i = skipWhitespace(valueEnd)
            guard i < bytes.count else { break }
            if bytes[i] == UInt8(ascii: "}") { return nil }
            guard bytes[i] == UInt8(ascii: ",") else { throw .malformed(at: i, expected: ", or }") }
            i = skipWhitespace(i + 1)
        }
        throw .malformed(at: i, expected: "}")
    }

    /// Calls `body` with the byte range of each element of the array value at `start`, in order.
    func forEachElement(ofArrayAt start: Int, _ body: (Range<Int>) throws -> Void) throws {
        var i = skipWhitespace(start)
        guard i < bytes.count, bytes[i] == UInt8(ascii: "[") else { throw Failure.malformed(at: i, expected: "an array") }
        i = skipWhitespace(i + 1)
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { return }
        while i < bytes.count {
            let end = try endOfValue(i)
            try body(i..<end)
            i = skipWhitespace(end)
            guard i < bytes.count else { break }
            if bytes[i] == UInt8(ascii: "]") { return }
            guard bytes[i] == UInt8(ascii: ",") else { throw Failure.malformed(at: i, expected: ", or ]") }
            i = skipWhitespace(i + 1)
        }
        throw Failure.malformed(at: i, expected: "]")
    }

    /// The first non-space byte at or after `start`.
    func firstByte(at start: Int) -> UInt8? {
        let i = skipWhitespace(start)
        return i < bytes.count ? bytes[i] : nil
    }

    static func isDelimiter(_ b: UInt8) -> Bool {
        b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || b == UInt8(ascii: "]")
            || b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09
    }
}
