import Foundation

/// A request path in the SBA scheme, taken apart:
/// `/GPService/Tenants(<tenant>)/Companies(<company>)/<Area>/<Resource>[(<k1>[;<k2>…])][.json]`
/// or `/GPService/Tenants(<tenant>)/help`.
///
/// Every segment is percent-decoded; parentheses may be literal or `%28`/`%29`; a company name may
/// itself contain parentheses (the segment's last `)` closes it). Key parts are split on literal
/// `;` before decoding, so a `%3B` inside a key stays part of it.
struct SBAPath: Equatable {
    enum Target: Equatable {
        case help
        case resource(company: String, path: String, keys: [String]?)
    }
    var tenant: String
    var target: Target
    var jsonSuffix: Bool

    static func parse(_ rawPath: String) -> SBAPath? {
        let segments = rawPath.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let t = segments.firstIndex(where: { labelled($0, "Tenants") != nil }),
              let tenant = labelled(segments[t], "Tenants") else { return nil }
        let rest = Array(segments[(t + 1)...])
        guard let first = rest.first else { return nil }
        if rest.count == 1, first.lowercased() == "help" || first.lowercased() == "help.json" {
            return SBAPath(tenant: tenant, target: .help, jsonSuffix: false)
        }
        guard let company = labelled(first, "Companies"), rest.count >= 2 else { return nil }
        var resource = Array(rest.dropFirst())
        var last = resource.removeLast()
        var suffix = false
        if last.lowercased().hasSuffix(".json") {
            last = String(last.dropLast(5))
            suffix = true
        }
        var keys: [String]?
        if let open = openParen(in: last) {
            var inner = last[open.upperBound...]
            if inner.hasSuffix(")") {
                inner = inner.dropLast()
            } else if inner.lowercased().hasSuffix("%29") {
                inner = inner.dropLast(3)
            } else {
                return nil
            }
            var parts: [String] = []
            for raw in inner.split(separator: ";", omittingEmptySubsequences: false) {
                guard let decoded = String(raw).removingPercentEncoding else { return nil }
                parts.append(decoded)
            }
            keys = parts
            last = String(last[..<open.lowerBound])
        }
        resource.append(last)
        var decoded: [String] = []
        for segment in resource {
            guard let d = segment.removingPercentEncoding, !d.isEmpty else { return nil }
            decoded.append(d)
        }
        return SBAPath(tenant: tenant, target: .resource(company: company, path: decoded.joined(separator: "/"), keys: keys),
                       jsonSuffix: suffix)
    }

    /// The decoded name in `Label(…)`, or nil.
    static func labelled(_ segment: String, _ label: String) -> String? {
        guard let decoded = segment.removingPercentEncoding,
              decoded.lowercased().hasPrefix(label.lowercased() + "("), decoded.hasSuffix(")"),
              decoded.count > label.count + 2 else { return nil }
        return String(decoded.dropFirst(label.count + 1).dropLast())
    }

    static func openParen(in segment: String) -> Range<String.Index>? {
        let literal = segment.range(of: "(")
        let encoded = segment.range(of: "%28", options: .caseInsensitive)
        switch (literal, encoded) {
        case let (l?, e?): return l.lowerBound < e.lowerBound ? l : e
        case let (l?, nil): return l
        case let (nil, e?): return e
        default: return nil
        }
    }
}
