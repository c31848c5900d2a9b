import Foundation

/// A Swift type that can be read from a result cell (text format). `Optional` maps NULL to nil;
/// every other type throws `unexpected_null` for NULL.
public protocol PostgresDecodable {
    init(postgresCell cell: PostgresCell) throws
}

extension PostgresCell {
    /// The text of a non-NULL cell.
    func requireText() throws -> String {
        guard let text = string else {
            throw PostgresError(.unexpectedNull, "column \(name) is NULL; decode an Optional to accept NULL")
        }
        return text
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init(postgresCell cell: PostgresCell) throws {
        self = cell.isNull ? nil : try Wrapped(postgresCell: cell)
    }
}

extension String: PostgresDecodable {
    /// Any column as its text; json/jsonb arrive as their JSON text.
    public init(postgresCell cell: PostgresCell) throws { self = try cell.requireText() }
}

extension Int: PostgresDecodable {
    public init(postgresCell cell: PostgresCell) throws {
        guard let value = Int(try cell.requireText()) else { throw cell.failure("Int") }
        self = value
    }
}

extension Int64: PostgresDecodable {
    public init(postgresCell cell: PostgresCell) throws {
        guard let value = Int64(try cell.requireText()) else { throw cell.failure("Int64") }
        self = value
    }
}

extension Int32: PostgresDecodable {
    public init(postgresCell cell: PostgresCell) throws {
        guard let value = Int32(try cell.requireText()) else { throw cell.failure("Int32") }
        self = value
    }
}

extension Int16: PostgresDecodable {
    public init(postgresCell cell: PostgresCell) throws {
        guard let value = Int16(try cell.requireText()) else { throw cell.failure("Int16") }
        self = value
    }
}

extension Bool: PostgresDecodable {
    public init(postgresCell cell: PostgresCell) throws {
        switch try cell.requireText() {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw cell.failure("Bool")
        }
    }
}

extension Double: PostgresDecodable {
    public init(postgresCell cell: PostgresCell) throws {
        guard let value = Double(try cell.requireText()) else { throw cell.failure("Double") }
        self = value
    }
}

extension Decimal: PostgresDecodable {
    /// numeric text read exactly (up to Decimal's 38 significant digits).
    public init(postgresCell cell: PostgresCell) throws {
        let text = try cell.requireText()
        if text == "NaN" { self = .nan; return }
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            throw cell.failure("Decimal")
        }
        self = value
    }
}

extension Date: PostgresDecodable {
    /// timestamptz / timestamp (taken as UTC) / date, in the ISO style every connection sets.
    public init(postgresCell cell: PostgresCell) throws {
        guard let value = PostgresTimestamp.parse(try cell.requireText()) else { throw cell.failure("Date") }
        self = value
    }
}

extension UUID: PostgresDecodable {
    public init(postgresCell cell: PostgresCell) throws {
        guard let value = UUID(uuidString: try cell.requireText()) else { throw cell.failure("UUID") }
        self = value
    }
}

extension Array: PostgresDecodable where Element == UInt8 {
    /// bytea from its hex text form (`\x…`); other column types give their raw text bytes.
    public init(postgresCell cell: PostgresCell) throws {
        guard let raw = cell.bytes else { _ = try cell.requireText(); self = []; return }
        guard cell.typeOID == PostgresType.bytea else { self = raw; return }
        guard let decoded = ByteaHex.decode(raw) else { throw cell.failure("bytea") }
        self = decoded
    }
}

extension Data: PostgresDecodable {
    public init(postgresCell cell: PostgresCell) throws {
        self = Data(try [UInt8](postgresCell: cell))
    }
}

/// bytea's text form: `\x` followed by two lowercase hex digits per byte.
enum ByteaHex {
    static func decode(_ text: [UInt8]) -> [UInt8]? {
        guard text.count >= 2, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x"),
              text.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity((text.count - 2) / 2)
        var i = 2
        while i < text.count {
            guard let hi = nibble(text[i]), let lo = nibble(text[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }
}
