import Foundation

/// The fast path of `CommerceWebhookEvent.parse`: one strict pass over the body that keeps only
/// the members the event is read from (`eventName`, `data`, `order`, `increment_id`, …), as the
/// same `[String: Any]` values `JSONSerialization` would give (String, NSNumber of an integer,
/// NSNull, nested dictionaries). Everything else — order items, addresses — is checked against
/// the JSON grammar and skipped, never materialised (the full parse cost ~12 % of the server's
/// CPU per hook).
///
/// It answers nil whenever it is not certain to agree with `JSONSerialization`, and the caller
/// then parses the body in full: invalid UTF-8 or JSON, a top level that is not an object,
/// `\u` escapes anywhere, any escape in a kept string or key, a kept value that is an array, a
/// boolean or a non-integer / negative / oversized number, a kept key given twice.
struct WebhookJSONScanner {
    /// Member names the event reads, at any depth.
    static let kept: [[UInt8]] = [
        "eventName", "event_name", "type", "data", "order", "invoice", "value", "entity", "result",
        "increment_id", "entity_id", "order_id", "order_increment_id", "state",
    ].map { Array($0.utf8) }
    /// The escapes after a backslash that need no decoding to be skipped (`\u` is not one).
    private static let simpleEscapes = Array("\"\\/bfnrt".utf8)

    private let bytes: [UInt8]
    private var at = 0

    static func keptMembers(of body: [UInt8]) -> [String: Any]? {
        guard String(validating: body, as: UTF8.self) != nil else { return nil }
        var scanner = WebhookJSONScanner(bytes: body)
        scanner.skipSpace()
        guard scanner.peek == UInt8(ascii: "{"), let root = scanner.object(keep: true) else { return nil }
        scanner.skipSpace()
        return scanner.at == body.count ? root : nil
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private var peek: UInt8? { at < bytes.count ? bytes[at] : nil }

    private mutating func skipSpace() {
        while let b = peek, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { at += 1 }
    }

    private mutating func expect(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        at += 1
        return true
    }

    /// An object at `at`; its kept members when `keep`, an empty dictionary when not (only checked).
    private mutating func object(keep: Bool) -> [String: Any]? {
        guard expect(UInt8(ascii: "{")) else { return nil }
        var members: [String: Any] = [:]
        skipSpace()
        if expect(UInt8(ascii: "}")) { return members }
        while true {
            skipSpace()
            guard let key = string(mayEscape: false) else { return nil }
            skipSpace()
            guard expect(UInt8(ascii: ":")) else { return nil }
            skipSpace()
            if keep, Self.kept.contains(where: { $0.count == key.count && $0.elementsEqual(key) }) {
                let name = String(decoding: key, as: UTF8.self)
                guard members[name] == nil, let value = keptValue() else { return nil }
                members[name] = value
            } else {
                guard skipValue() else { return nil }
            }
            skipSpace()
            if expect(UInt8(ascii: ",")) { continue }
            return expect(UInt8(ascii: "}")) ? members : nil
        }
    }

    private mutating func keptValue() -> Any? {
        switch peek {
        case UInt8(ascii: "{"): return object(keep: true)
        case UInt8(ascii: "\""): return string(mayEscape: false).map { String(decoding: $0, as: UTF8.self) }
        case UInt8(ascii: "n"): return literal("null") ? NSNull() : nil
        case let b? where b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"):
            let start = at
            guard number(), let value = Int(String(decoding: bytes[start..<at], as: UTF8.self)),
                  bytes[start..<at].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
            return NSNumber(value: value)
        default: return nil
        }
    }

    /// Checks one value of any kind and moves past it.
    private mutating func skipValue() -> Bool {
        switch peek {
        case UInt8(ascii: "{"): return object(keep: false) != nil
        case UInt8(ascii: "["):
            at += 1
            skipSpace()
            if expect(UInt8(ascii: "]")) { return true }
            while true {
                skipSpace()
                guard skipValue() else { return false }
                skipSpace()
                if expect(UInt8(ascii: ",")) { continue }
                return expect(UInt8(ascii: "]"))
            }
        case UInt8(ascii: "\""): return string(mayEscape: true) != nil
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return number()
        }
    }

    /// A string at `at`; its raw bytes between the quotes. Escapes other than `\u` are allowed
    /// only where the text is not kept.
    private mutating func string(mayEscape: Bool) -> ArraySlice<UInt8>? {
        guard expect(UInt8(ascii: "\"")) else { return nil }
        let start = at
        while let b = peek {
            switch b {
            case UInt8(ascii: "\""):
                at += 1
                return bytes[start..<(at - 1)]
            case UInt8(ascii: "\\"):
                guard mayEscape, at + 1 < bytes.count, Self.simpleEscapes.contains(bytes[at + 1]) else { return nil }
                at += 2
            case 0..<0x20: return nil
            default: at += 1
            }
        }
        return nil
    }

    /// RFC 8259 number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func number() -> Bool {
        func digits() -> Int {
            let start = at
            while let b = peek, b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") { at += 1 }
            return at - start
        }
        _ = expect(UInt8(ascii: "-"))
        if expect(UInt8(ascii: "0")) {
            if let b = peek, b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") { return false }
        } else if digits() == 0 {
            return false
        }
        if expect(UInt8(ascii: ".")) && digits() == 0 { return false }
        if expect(UInt8(ascii: "e")) || expect(UInt8(ascii: "E")) {
            if !expect(UInt8(ascii: "+")) { _ = expect(UInt8(ascii: "-")) }
            if digits() == 0 { return false }
        }
        return true
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let text = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard at + text.count <= bytes.count, bytes[at..<(at + text.count)].elementsEqual(text) else { return false }
        at += text.count
        return true
    }
}
