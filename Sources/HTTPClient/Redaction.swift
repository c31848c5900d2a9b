/// Removes secrets from text that may end up in an error message or a log line. The client never
/// builds a message from a credential; this is the second line of defence for text that comes
/// from libcurl or from a URL a caller built.
enum Redaction {
    static let mask = "***"

    /// Replaces the userinfo of every URL in `text` (`https://user:pw@host/` becomes
    /// `https://***@host/`).
    static func scrubUserinfo(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let schemeEnd = rest.firstRange(of: "://") {
            result += rest[..<schemeEnd.upperBound]
            rest = rest[schemeEnd.upperBound...]
            let authority = rest.prefix { !"/?#".contains($0) && !$0.isWhitespace && $0 != "\"" && $0 != "'" }
            if let at = authority.lastIndex(of: "@") {
                result += mask
                rest = rest[at...]
            }
        }
        return result + rest
    }

    /// Scrubs URL userinfo and every occurrence of the given secrets.
    static func scrub(_ text: String, secrets: [String]) -> String {
        var text = scrubUserinfo(text)
        for secret in secrets where !secret.isEmpty {
            text = text.replacing(secret, with: mask)
        }
        return text
    }
}
