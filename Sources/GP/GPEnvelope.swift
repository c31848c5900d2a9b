import Foundation

/// The `{"Payload": …}` wrapper around SBA bodies (UNCONFIRMED; on by default, see `GPSettings`).
public enum GPEnvelope {
    /// A request body: the value, wrapped when `settings.envelopeOnWrites`.
    public static func encode<T: Encodable>(_ value: T, settings: GPSettings) throws(GPError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.userInfo[.gpDateStyle] = settings.dateStyle
        do {
            if settings.envelopeOnWrites {
                return try encoder.encode([settings.envelopeKey: value])
            }
            return try encoder.encode(value)
        } catch {
            throw .invalidRequest("the body could not be encoded: \(error)")
        }
    }

    /// One record from a read answer, unwrapped when `settings.envelopeOnReads`.
    public static func decodeOne<T: Decodable>(_ type: T.Type, from body: Data, settings: GPSettings) throws(GPError) -> T {
        let scanner = JSONScanner(Array(body))
        let range: Range<Int>
        do {
            range = try valueRange(scanner, settings: settings, expectArray: false)
        } catch let e as GPError {
            throw e
        } catch {
            throw .badResponse(detail: "malformed JSON (\(error))")
        }
        return try decode(type, scanner.bytes[range])
    }

    /// Walks a list answer, decoding records one at a time and handing them out in chunks of at
    /// most `chunkSize`; the decoded records of only one chunk exist at a time.
    /// Returns the number of records in the answer.
    @discardableResult
    public static func forEachChunk<T: Decodable>(_ type: T.Type, from body: Data, settings: GPSettings, chunkSize: Int,
                                                  _ handle: ([T]) throws -> Void) throws -> Int {
        let scanner = JSONScanner(Array(body))
        let range: Range<Int>
        do {
            range = try valueRange(scanner, settings: settings, expectArray: true)
        } catch let e as GPError {
            throw e
        } catch {
            throw GPError.badResponse(detail: "malformed JSON (\(error))")
        }
        if scanner.firstByte(at: range.lowerBound) == UInt8(ascii: "n") { return 0 }  // "Payload": null
        var chunk: [T] = []
        chunk.reserveCapacity(min(chunkSize, 1024))
        var count = 0
        do {
            try scanner.forEachElement(ofArrayAt: range.lowerBound) { element in
                chunk.append(try decode(type, scanner.bytes[element]))
                count += 1
                if chunk.count >= chunkSize {
                    try handle(chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
        } catch let failure as JSONScanner.Failure {
            throw GPError.badResponse(detail: "malformed JSON list (\(failure))")
        }
        if !chunk.isEmpty { try handle(chunk) }
        return count
    }

    static func valueRange(_ scanner: JSONScanner, settings: GPSettings, expectArray: Bool) throws -> Range<Int> {
        let first = scanner.firstByte(at: 0)
        guard settings.envelopeOnReads else {
            if expectArray, first != UInt8(ascii: "[") {
                throw GPError.badResponse(detail: "expected a JSON array; if GP wraps lists as {\"\(settings.envelopeKey)\": […]} set envelope_on_reads to true")
            }
            return 0..<scanner.bytes.count
        }
        guard first == UInt8(ascii: "{") else {
            throw GPError.badResponse(detail: "expected {\"\(settings.envelopeKey)\": …}; if GP sends bare values set envelope_on_reads to false")
        }
        guard let range = try scanner.member(settings.envelopeKey, ofObjectAt: 0) else {
            throw GPError.badResponse(detail: "the answer has no \"\(settings.envelopeKey)\" member; check envelope_key and envelope_on_reads")
        }
        return range
    }

    static func decode<T: Decodable>(_ type: T.Type, _ slice: ArraySlice<UInt8>) throws(GPError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(slice))
        } catch {
            throw .badResponse(detail: "a \(T.self) could not be read (\(Self.describe(error)))")
        }
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing \(key.stringValue)"
        case DecodingError.dataCorrupted(let c): return c.debugDescription
        case DecodingError.typeMismatch(_, let c): return "wrong type at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return "\(error)"
        }
    }
}
