import Foundation

/// Removes secrets from what the audit trail keeps of an outbound call, then caps its size.
///
/// Secrets are found by key name, wherever they sit: JSON object keys (at any depth), form and
/// query parameters, HTTP header lines, and `user:password@` in URLs. A key is sensitive when its
/// lower-cased name, without `_`, `-` and `.`, contains one of `sensitiveFragments`
/// (`password`, `secret`, `token`, `authorization`, …): `client_secret`, `oauth_token`,
/// `Authorization`, `X-Api-Key` all match. Values are replaced by `***`; structure is kept so the
/// trail still shows what was sent.
public enum AuditRedaction {
    public static let mask = "***"
    /// Default cap per body: enough for an order or a product, small enough for a busy audit table.
    public static let defaultCap = 16 * 1024

    public static let sensitiveFragments = [
        "password", "passwd", "pwd", "secret", "token", "authorization", "apikey", "privatekey",
        "signature", "cookie", "credential", "consumerkey", "accesskey", "sessionid",
    ]

    public static func isSensitive(_ key: String) -> Bool {
        let k = key.lowercased().filter { $0 != "_" && $0 != "-" && $0 != "." && $0 != " " }
        return sensitiveFragments.contains { k.contains($0) }
    }

    /// A body (JSON, form-encoded or text) redacted and capped.
    public static func body(_ text: String?, cap: Int = defaultCap) -> String? {
        guard let text else { return nil }
        return capped(redactBody(text), cap: cap)
    }

    public static func redactBody(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let first = trimmed.first, first == "{" || first == "[",
           let json = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8), options: [.fragmentsAllowed]),
           let out = try? JSONSerialization.data(withJSONObject: redactJSON(json), options: [.sortedKeys, .fragmentsAllowed]) {
            return String(decoding: out, as: UTF8.self)
        }
        if !trimmed.contains(" "), !trimmed.contains("\n"), trimmed.contains("=") {
            return redactForm(trimmed)
        }
        return redactText(text)
    }

    /// A URL with userinfo and sensitive query parameters masked.
    public static func url(_ url: String) -> String {
        var text = url
        if let scheme = text.range(of: "://") {
            let rest = text[scheme.upperBound...]
            let authorityEnd = rest.firstIndex { "/?#".contains($0) } ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@") {
                text = String(text[..<scheme.upperBound]) + mask + String(text[at...])
            }
        }
        guard let q = text.firstIndex(of: "?") else { return text }
        let fragmentStart = text[q...].firstIndex(of: "#") ?? text.endIndex
        let query = String(text[text.index(after: q)..<fragmentStart])
        return String(text[...q]) + redactForm(query) + String(text[fragmentStart...])
    }

    /// Header pairs with sensitive values masked.
    public static func headers(_ headers: [(String, String)]) -> [(String, String)] {
        headers.map { isSensitive($0.0) ? ($0.0, mask) : $0 }
    }

    static func redactJSON(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            var out: [String: Any] = [:]
            for (k, v) in object { out[k] = isSensitive(k) && !(v is NSNull) ? mask : redactJSON(v) }
            return out
        }
        if let array = value as? [Any] { return array.map(redactJSON) }
        return value
    }

    static func redactForm(_ text: String) -> String {
        text.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let eq = pair.firstIndex(of: "=") else { return String(pair) }
            let key = String(pair[..<eq]).removingPercentEncoding ?? String(pair[..<eq])
            return isSensitive(key) ? String(pair[...eq]) + mask : String(pair)
        }.joined(separator: "&")
    }

    /// Free text: `Name: value` header lines, `key=value` / `"key": "value"` pairs and bearer
    /// credentials.
    static func redactText(_ text: String) -> String {
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var l = String(line)
            if let colon = l.firstIndex(of: ":") {
                let name = l[..<colon].trimmingCharacters(in: .whitespaces)
                if !name.isEmpty, !name.contains(" "), !name.contains("\""), isSensitive(name) {
                    l = String(l[...colon]) + " " + mask
                }
            }
            // OAuth 1 parameters are key="value" pairs: maskPairs handles them by name.
            l = maskAfter(l, markers: ["Bearer ", "Basic ", "NTLM ", "Negotiate "])
            l = maskPairs(l)
            lines.append(l)
        }
        return lines.joined(separator: "\n")
    }

    static func maskAfter(_ line: String, markers: [String]) -> String {
        var l = line
        for marker in markers {
            var searchStart = l.startIndex
            while let r = l.range(of: marker, options: .caseInsensitive, range: searchStart..<l.endIndex) {
                let end = l[r.upperBound...].firstIndex { $0 == " " || $0 == "\"" || $0 == "," } ?? l.endIndex
                if l[r.upperBound..<end] == Substring(mask) { searchStart = end; continue }
                l.replaceSubrange(r.upperBound..<end, with: mask)
                searchStart = l.index(r.upperBound, offsetBy: mask.count)
            }
        }
        return l
    }

    /// `password=hunter2`, `"token": "abc"`, `secret: x` inside a sentence.
    static func maskPairs(_ line: String) -> String {
        var out = ""
        var rest = Substring(line)
        while let sep = rest.firstIndex(where: { $0 == "=" || $0 == ":" }) {
            let before = rest[..<sep]
            let keyStart = before.lastIndex { !($0.isLetter || $0.isNumber || "_-.\"".contains($0)) }.map { before.index(after: $0) } ?? before.startIndex
            let key = before[keyStart...].filter { $0 != "\"" }
            out += rest[...sep]
            rest = rest[rest.index(after: sep)...]
            guard isSensitive(String(key)) else { continue }
            let lead = rest.prefix { $0 == " " || $0 == "\"" }
            rest = rest.dropFirst(lead.count)
            let valueEnd = rest.firstIndex { $0 == " " || $0 == "\"" || $0 == "," || $0 == "&" || $0 == "}" } ?? rest.endIndex
            out += lead + mask
            rest = rest[valueEnd...]
        }
        return out + rest
    }

    /// At most `cap` UTF-8 bytes (cut on a character boundary), with a note of the full size.
    public static func capped(_ text: String, cap: Int) -> String {
        let bytes = text.utf8.count
        guard bytes > cap else { return text }
        var out = ""
        var used = 0
        for ch in text {
            let n = String(ch).utf8.count
            if used + n > cap { break }
            out.append(ch)
            used += n
        }
        return out + "…[truncated: \(bytes) bytes]"
    }
}
