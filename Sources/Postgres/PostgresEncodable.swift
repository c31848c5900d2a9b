import Foundation

/// A Swift value that can be sent as a statement parameter.
///
/// ```swift
/// try conn.query("SELECT $1::int + $2", 40, 2)
/// try conn.execute("UPDATE t SET note = $1 WHERE id = $2", [note.postgresValue, id.postgresValue])
/// ```
public protocol PostgresEncodable: Sendable {
    var postgresValue: PostgresValue { get }
}

extension PostgresValue: PostgresEncodable {
    public var postgresValue: PostgresValue { self }
}

extension String: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(self) }
}

extension Substring: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(String(self)) }
}

extension Int: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(String(self), typeOID: PostgresType.int8) }
}

extension Int64: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(String(self), typeOID: PostgresType.int8) }
}

extension Int32: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(String(self), typeOID: PostgresType.int4) }
}

extension Int16: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(String(self), typeOID: PostgresType.int2) }
}

extension Bool: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(self ? "t" : "f", typeOID: PostgresType.bool) }
}

extension Double: PostgresEncodable {
    public var postgresValue: PostgresValue {
        let text: String
        if isNaN { text = "NaN" } else if self == .infinity { text = "Infinity" } else if self == -.infinity {
            text = "-Infinity"
        } else { text = "\(self)" }
        return .text(text, typeOID: PostgresType.float8)
    }
}

extension Decimal: PostgresEncodable {
    /// Sent as numeric text, so no binary floating point rounding happens on the way.
    public var postgresValue: PostgresValue {
        .text(isNaN ? "NaN" : description, typeOID: PostgresType.numeric)
    }
}

extension Date: PostgresEncodable {
    /// ISO 8601 in UTC with microseconds and `Z`, e.g. `2024-05-01T12:30:00.123456Z`.
    public var postgresValue: PostgresValue {
        .text(PostgresTimestamp.format(self), typeOID: PostgresType.timestamptz)
    }
}

extension UUID: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(uuidString.lowercased(), typeOID: PostgresType.uuid) }
}

extension Data: PostgresEncodable {
    public var postgresValue: PostgresValue { .bytea(self) }
}

extension Array: PostgresEncodable where Element == UInt8 {
    public var postgresValue: PostgresValue { .bytea(self) }
}
