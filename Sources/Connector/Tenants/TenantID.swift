/// A tenant's id: a URL-safe slug (`contoso`, `contoso-eu-2`) or a UUID. It appears in URL paths
/// and in the associated data of every sealed secret, so it admits nothing that could traverse a
/// path or be confused with another id (`../`, `%2F`, upper/lower variants of one UUID).
public struct TenantID: Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Slugs: lowercase ASCII letters, digits and inner hyphens, 1–63 characters.
    public static let maxSlugLength = 63

    public init?(_ text: String) {
        if let uuid = TenantID.canonicalUUID(text) {
            rawValue = uuid
        } else if TenantID.isSlug(text) {
            rawValue = text
        } else {
            return nil
        }
    }

    public var description: String { rawValue }

    /// A new random id, for registrations that do not choose one.
    public static func random() -> TenantID {
        TenantID(UUID().uuidString.lowercased())!
    }

    static func isSlug(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...maxSlugLength).contains(bytes.count),
              bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-") else { return false }
        return bytes.allSatisfy { b in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || b == UInt8(ascii: "-")
        }
    }

    /// UUIDs are accepted in any case and stored lowercased, so one tenant has one id.
    static func canonicalUUID(_ text: String) -> String? {
        guard text.utf8.count == 36, let uuid = UUID(uuidString: text) else { return nil }
        return uuid.uuidString.lowercased()
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = TenantID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a tenant id"))
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

import Foundation
