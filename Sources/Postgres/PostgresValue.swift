import Foundation

/// One encoded statement parameter: the bytes libpq sends, their wire format and type OID.
///
/// Every value reaches the server through this type and `Connection.query`'s single
/// PQexecParams path; values are never spliced into SQL text. Text is used for everything but
/// bytea, which is sent binary so zero bytes survive.
public struct PostgresValue: Sendable, Hashable {
    public enum Format: Int32, Sendable { case text = 0, binary = 1 }

    public var bytes: [UInt8]
    public var format: Format
    /// 0 lets the server infer the type from context (`PostgresType.unspecified`).
    public var typeOID: UInt32

    public init(bytes: [UInt8], format: Format, typeOID: UInt32) {
        self.bytes = bytes
        self.format = format
        self.typeOID = typeOID
    }

    /// A text-format value. Strings use OID 0 so they fit text, varchar, jsonb, enum and
    /// timestamp columns alike; write `$1::text` where the server has no context to infer from.
    public static func text(_ string: String, typeOID: UInt32 = PostgresType.unspecified) -> PostgresValue {
        PostgresValue(bytes: Array(string.utf8), format: .text, typeOID: typeOID)
    }

    /// A binary bytea value (zero bytes allowed).
    public static func bytea<Bytes: Sequence>(_ bytes: Bytes) -> PostgresValue where Bytes.Element == UInt8 {
        PostgresValue(bytes: Array(bytes), format: .binary, typeOID: PostgresType.bytea)
    }

    /// JSON text of an `Encodable` value, for json/jsonb columns (type inferred by the server).
    public static func json<T: Encodable>(_ value: T, encoder: JSONEncoder = JSONEncoder()) throws -> PostgresValue {
        let data: Data
        do { data = try encoder.encode(value) } catch {
            throw PostgresError(.invalidParameter, "value could not be encoded as JSON: \(error)")
        }
        return PostgresValue(bytes: Array(data), format: .text, typeOID: PostgresType.unspecified)
    }

    /// A one-dimensional `bigint[]` literal, e.g. for `WHERE id = ANY($1)`.
    public static func array(_ values: [Int64]) -> PostgresValue {
        .text("{" + values.map(String.init).joined(separator: ",") + "}", typeOID: PostgresType.int8Array)
    }

    /// A one-dimensional `bigint[]` literal.
    public static func array(_ values: [Int]) -> PostgresValue { array(values.map(Int64.init)) }

    /// A one-dimensional `text[]` literal; every element is quoted so commas, braces, quotes and
    /// the word NULL stay data.
    public static func array(_ values: [String]) -> PostgresValue {
        let quoted = values.map { value -> String in
            var out = "\""
            for ch in value {
                if ch == "\"" || ch == "\\" { out.append("\\") }
                out.append(ch)
            }
            return out + "\""
        }
        return .text("{" + quoted.joined(separator: ",") + "}", typeOID: PostgresType.textArray)
    }
}
