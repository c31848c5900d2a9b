import Foundation

/// A coding key built from any string: SBA's JSON property names are UNCONFIRMED, so readers look
/// for the name we write first and then for the SOAP-style aliases a real server may use.
struct AnyKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where Key == AnyKey {
    /// A string under the first present name. `Key` may also be `{"Id": "…"}` as in SOAP.
    func string(_ names: String...) throws -> String? {
        for name in names {
            let k = AnyKey(name)
            guard contains(k), try !decodeNil(forKey: k) else { continue }
            if let s = try? decode(String.self, forKey: k) { return s.trimmingTrailingSpaces }
            if let nested = try? nestedContainer(keyedBy: AnyKey.self, forKey: k),
               let id = try nested.string("Id", "id") { return id }
            if let n = try? decode(Int.self, forKey: k) { return String(n) }
        }
        return nil
    }

    func requiredString(_ names: String...) throws -> String {
        for name in names {
            if let s = try string(name) { return s }
        }
        throw DecodingError.keyNotFound(AnyKey(names[0]), .init(codingPath: codingPath, debugDescription: "missing \(names[0])"))
    }

    /// A decimal amount sent as a JSON number or a string; SOAP-style `{"Value": 1.5}` too.
    func decimal(_ names: String...) throws -> Decimal? {
        for name in names {
            let k = AnyKey(name)
            guard contains(k), try !decodeNil(forKey: k) else { continue }
            if let d = try? decode(Decimal.self, forKey: k) { return d }
            if let s = try? decode(String.self, forKey: k), let d = Decimal(string: s, locale: Locale(identifier: "en_US_POSIX")) { return d }
            if let nested = try? nestedContainer(keyedBy: AnyKey.self, forKey: k), let d = try nested.decimal("Value", "value") { return d }
        }
        return nil
    }

    func bool(_ names: String...) throws -> Bool? {
        for name in names {
            let k = AnyKey(name)
            guard contains(k), try !decodeNil(forKey: k) else { continue }
            if let b = try? decode(Bool.self, forKey: k) { return b }
            if let n = try? decode(Int.self, forKey: k) { return n != 0 }
            if let s = try? decode(String.self, forKey: k) { return ["true", "1", "yes"].contains(s.lowercased()) }
        }
        return nil
    }

    func date(_ names: String...) throws -> GPDate? {
        for name in names {
            let k = AnyKey(name)
            guard contains(k), try !decodeNil(forKey: k) else { continue }
            if let d = try? decode(GPDate.self, forKey: k) { return d }
        }
        return nil
    }
}

extension KeyedEncodingContainer where Key == AnyKey {
    mutating func put<T: Encodable>(_ value: T?, _ name: String) throws {
        if let value { try encode(value, forKey: AnyKey(name)) }
    }
}

extension String {
    /// GP pads char fields with trailing spaces on some paths; keys compare without them.
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
