import Foundation

/// Magento's REST error body: `{"message": template, "parameters": [..] | {..}, "errors": [..]}`.
/// The template keeps its placeholders (`%1` positional, 1-based; `%fieldName` named), so
/// `rendered` fills them in for humans:
///
///     {"message":"No such entity with %fieldName = %fieldValue",
///      "parameters":{"fieldName":"customerId","fieldValue":7}}
///     → "No such entity with customerId = 7"
public struct MagentoErrorMessage: Sendable, Equatable {
    public var template: String
    public var positional: [String]
    public var named: [String: String]
    /// Aggregated input errors (`errors: [{message, parameters}]`).
    public var errors: [MagentoErrorMessage]

    public init(template: String, positional: [String] = [], named: [String: String] = [:],
                errors: [MagentoErrorMessage] = []) {
        self.template = template
        self.positional = positional
        self.named = named
        self.errors = errors
    }

    /// The message with its placeholders filled, followed by the aggregated errors if any.
    public var rendered: String {
        let main = Self.fill(template, positional: positional, named: named)
        let details = errors.map(\.rendered).filter { $0 != main }
        return details.isEmpty ? main : main + " (" + details.joined(separator: "; ") + ")"
    }

    /// Parses a Magento error body; nil when it is not one (HTML from a proxy, empty, …).
    public static func parse(_ body: some Collection<UInt8>) -> MagentoErrorMessage? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
        return parse(object)
    }

    static func parse(_ object: [String: Any]) -> MagentoErrorMessage? {
        guard let template = object["message"] as? String else { return nil }
        var message = MagentoErrorMessage(template: template)
        if let list = object["parameters"] as? [Any] {
            message.positional = list.map(Self.text)
        } else if let map = object["parameters"] as? [String: Any] {
            message.named = map.mapValues(Self.text)
        }
        if let errors = object["errors"] as? [[String: Any]] {
            message.errors = errors.compactMap(parse)
        }
        return message
    }

    /// Replaces `%N` with `positional[N-1]` and `%name` with `named[name]` (the longest name
    /// that exists wins, so `%fieldValue` is not read as `%field` + "Value"). Placeholders with
    /// no value stay as they are.
    public static func fill(_ template: String, positional: [String] = [], named: [String: String] = [:]) -> String {
        let chars = Array(template)
        var out = ""
        var i = 0
        while i < chars.count {
            guard chars[i] == "%", i + 1 < chars.count else {
                out.append(chars[i]); i += 1; continue
            }
            var end = i + 1
            while end < chars.count, chars[end].isLetter || chars[end].isNumber || chars[end] == "_" {
                end += 1
            }
            var matched = false
            // Try the longest identifier first, then shorter prefixes.
            var length = end - (i + 1)
            while length > 0 && !matched {
                let name = String(chars[(i + 1)..<(i + 1 + length)])
                if let index = Int(name), index >= 1, index <= positional.count {
                    out += positional[index - 1]; matched = true
                } else if let value = named[name] {
                    out += value; matched = true
                } else {
                    length -= 1
                }
            }
            if matched {
                i += 1 + length
            } else {
                out.append("%"); i += 1
            }
        }
        return out
    }

    private static func text(_ value: Any) -> String {
        switch value {
        case let s as String: s
        case let n as NSNumber: n.stringValue
        case is NSNull: ""
        default: String(describing: value)
        }
    }
}
