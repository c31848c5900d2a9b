import Foundation

extension Request {
    /// Decodes the body as JSON into `T`.
    ///
    /// Errors, as `HTTPError`: a content type other than `application/json` (or `…+json`) → 415
    /// `unsupported_media_type`; nesting deeper than `maxDepth` → 400 `json_too_deep` (checked
    /// before decoding, because Foundation's decoder recurses and a deep document costs stack);
    /// malformed JSON → 400 `invalid_json`; valid JSON of the wrong shape → 400 `invalid_field`
    /// with the offending field's path in `details.field`.
    public func decodeJSON<T: Decodable>(_ type: T.Type, maxDepth: Int = 32) throws(HTTPError) -> T {
        guard let contentType = headers["Content-Type"], Self.isJSONContentType(contentType) else {
            throw HTTPError(status: .unsupportedMediaType, code: "unsupported_media_type",
                            message: "The request body must be sent as application/json.")
        }
        guard JSONDepth.maximumDepth(of: body, limit: maxDepth) <= maxDepth else {
            throw HTTPError.badRequest("json_too_deep", "The JSON body is nested more than \(maxDepth) levels deep.",
                                       details: ["max_depth": .int(maxDepth)])
        }
        do {
            return try JSONCoding.decoder.decode(T.self, from: Data(body))
        } catch let error as DecodingError {
            throw Self.describe(error)
        } catch {
            throw HTTPError.badRequest("invalid_json", "The request body is not valid JSON.")
        }
    }

    static func isJSONContentType(_ value: String) -> Bool {
        let mediaType = value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces.lowercased() } ?? ""
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }

    static func describe(_ error: DecodingError) -> HTTPError {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .drop { $0 == "." }.description
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return .badRequest("invalid_field", "The field `\(field)` is required.", details: ["field": .string(field)])
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let field = path(context.codingPath)
            return .badRequest("invalid_field", "The field `\(field)` has the wrong type.", details: ["field": .string(field)])
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            let field = path(context.codingPath)
            return .badRequest("invalid_field", "The field `\(field)` has an invalid value.", details: ["field": .string(field)])
        default:
            return .badRequest("invalid_json", "The request body is not valid JSON.")
        }
    }
}

/// Measures how deeply a JSON document nests arrays and objects, without parsing it.
enum JSONDepth {
    /// The deepest nesting seen, stopping early once it passes `limit`. Brackets inside strings
    /// do not count; malformed documents are left for the real decoder to reject.
    static func maximumDepth(of bytes: [UInt8], limit: Int) -> Int {
        var depth = 0, deepest = 0
        var inString = false, escaped = false
        for c in bytes {
            if inString {
                if escaped { escaped = false }
                else if c == 0x5C { escaped = true }
                else if c == 0x22 { inString = false }
                continue
            }
            switch c {
            case 0x22: inString = true
            case 0x5B, 0x7B:
                depth += 1
                if depth > deepest {
                    deepest = depth
                    if deepest > limit { return deepest }
                }
            case 0x5D, 0x7D: depth -= 1
            default: break
            }
        }
        return deepest
    }
}
