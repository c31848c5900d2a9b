import Foundation

/// Base64url (RFC 4648 §5) without padding, for tokens that travel in URLs and headers.
///
/// Standard base64 is Foundation's `Data(base64Encoded:)` / `base64EncodedString()`.
public enum Base64URL {
    public static func encode(_ bytes: some DataProtocol) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes base64url with or without padding; nil for any character outside the alphabet
    /// (including standard base64's `+` and `/`) or an impossible length.
    public static func decode(_ string: String) -> [UInt8]? {
        var s = string
        while s.hasSuffix("=") { s.removeLast() }
        guard s.utf8.allSatisfy({ c in
            (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
        }) else { return nil }
        guard s.utf8.count % 4 != 1 else { return nil }
        var standard = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.utf8.count % 4) % 4)
        return Data(base64Encoded: standard).map(Array.init)
    }
}
