import Foundation

/// A JSON value as a client sent it, before validation. Keeping the raw shape (rather than
/// decoding straight into `TenantSettings`) is what lets validation name unknown fields, tell a
/// missing field from an explicit `null`, and apply a JSON merge patch (RFC 7386).
public enum DocumentValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([DocumentValue])
    case object([String: DocumentValue])

    /// The deepest nesting a client document may have; tenant documents need four levels.
    public static let maxDepth = 32

    /// Parses JSON bytes. Nesting is checked on the raw bytes first, so a hostile document of
    /// thousands of `[` never reaches the recursive decoder.
    public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = DocumentValue.maxDepth) throws(DocumentParseError) -> DocumentValue {
        let data = Data(bytes)
        if let depth = nestingDepth(data), depth > maxDepth { throw .tooDeep(maxDepth) }
        do {
            return try JSONDecoder().decode(DocumentValue.self, from: data)
        } catch {
            throw .malformed
        }
    }

    /// The bracket depth of a JSON text, ignoring brackets inside strings; nil when unbalanced.
    static func nestingDepth(_ data: Data) -> Int? {
        var depth = 0, deepest = 0, inString = false, escaped = false
        for byte in data {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
                if depth < 0 { return nil }
            default: break
            }
        }
        return deepest
    }

    public var objectValue: [String: DocumentValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The JSON type name used in validation messages ("expected a string, got a number").
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Serialises with sorted keys, so stored settings and test fixtures are stable.
    public func jsonData() -> Data {
        (try? JSONEncoder.sorted.encode(self)) ?? Data("null".utf8)
    }
}

/// Why a body is not a JSON document we accept.
public enum DocumentParseError: Error, Sendable, Equatable {
    case malformed
    case tooDeep(Int)

    public var code: String {
        switch self {
        case .malformed: "invalid_json"
        case .tooDeep: "json_too_deep"
        }
    }

    public var message: String {
        switch self {
        case .malformed: "The request body is not valid JSON."
        case .tooDeep(let n): "The request body nests deeper than \(n) levels."
        }
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}

extension DocumentValue: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([DocumentValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: DocumentValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let d):
            if d.rounded() == d, abs(d) < 1e15 { try c.encode(Int64(d)) } else { try c.encode(d) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}
