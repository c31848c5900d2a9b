/// The `host[:port]` part of an absolute URL, validated from its literal text only: no user
/// info, no percent-encoding, ASCII DNS names or IP literals. Shared by `CompanyURL` and
/// `CommerceBaseURL`.
enum URLAuthority {
    static func parse(_ authority: String, defaultPort: Int) -> Result<(host: String, port: Int?), CompanyURLError> {
        if authority.contains("@") { return .failure(.userInfo) }
        if authority.contains("%") { return .failure(.encodedHost) }
        var host = Substring(authority), portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return .failure(.invalidHost) }
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return .failure(.invalidHost) }
                portText = after.dropFirst()
            }
            let inner = host.dropFirst().dropLast()
            guard !inner.isEmpty, inner.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return .failure(.invalidHost) }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard host.hasPrefix("[") || isDNSName(host) else { return .failure(.invalidHost) }
        var port: Int?
        if let portText {
            guard let p = Int(portText), portText.allSatisfy(\.isASCIIDigit), (1...65535).contains(p) else { return .failure(.invalidPort) }
            port = p == defaultPort ? nil : p
        }
        return .success((host.lowercased(), port))
    }

    static func isDNSName(_ host: Substring) -> Bool {
        guard (1...253).contains(host.utf8.count) else { return false }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}

/// Percent-decoding that accepts raw and encoded text mixed (`Companies(Compañia%20X)`): raw
/// characters stand for their UTF-8 bytes, `%XX` for one byte, and the whole must be UTF-8.
enum PercentDecoding {
    static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var it = Array(text.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%") {
                guard it.count >= 2, let hi = hexValue(it.removeFirst()), let lo = hexValue(it.removeFirst()) else { return nil }
                bytes.append(hi << 4 | lo)
            } else {
                bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension Unicode.Scalar {
    /// C0/C1 controls and line/paragraph separators: never part of a name we pass on.
    var isControlOrSeparator: Bool {
        value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension String {
    func leftPadded(to n: Int) -> String {
        count >= n ? self : String(repeating: "0", count: n - count) + self
    }
}

import Foundation
