import Crypto
import Foundation

/// A canonical text form of a mapped value, and its SHA-256: the content hash a record keeps of
/// what was last written, so an unchanged product or customer costs no call.
///
/// The form is fixed field order, one `name=value` line per field, with `\`, `=` and newlines
/// escaped, decimals without trailing zeros (`1.50` and `1.5` hash the same) and a version line, so
/// changing the mapping on purpose (bump `version`) changes every hash once. JSONEncoder is not
/// used: its key order and number formatting are not promised to stay stable.
public struct CanonicalEncoding: Sendable {
    private var text: String

    public init(kind: String, version: Int) {
        text = "\(kind).v\(version)\n"
    }

    public mutating func add(_ name: String, _ value: String?) {
        text += name
        guard let value else { text += "~\n"; return }
        text += "="
        for ch in value {
            switch ch {
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "~": text += "\\~"
            default: text.append(ch)
            }
        }
        text += "\n"
    }

    public mutating func add(_ name: String, _ value: Decimal?) {
        add(name, value.map(Self.canonical))
    }

    public mutating func add(_ name: String, _ value: Int?) {
        add(name, value.map(String.init))
    }

    public mutating func add(_ name: String, _ value: Bool?) {
        add(name, value.map { $0 ? "1" : "0" })
    }

    public mutating func add(_ name: String, _ values: [String]) {
        add(name, values.count)
        for (i, v) in values.enumerated() { add("\(name).\(i)", v) }
    }

    /// The canonical text (for debugging and tests).
    public var canonicalText: String { text }

    /// Lowercase hex SHA-256 of the canonical text.
    public var sha256: String { SHA256.hexDigest(text) }

    /// `1.50` → `1.5`, `2.000` → `2`, `-0` → `0`.
    static func canonical(_ d: Decimal) -> String {
        if d.isZero { return "0" }
        var s = NSDecimalNumber(decimal: d).stringValue
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }
}
