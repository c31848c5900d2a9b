import Foundation

/// A 256-bit master key that seals tenant secrets, with a non-secret id.
///
/// The id defaults to the first 8 hex characters of SHA-256(key): every sealed secret records
/// it, so rotation can tell which key sealed what without storing keys anywhere.
/// The key bytes never appear in `description`, `debugDescription`, `dump()` or errors.
///
/// Loading from the environment and files lives in `MasterKey+Loading.swift`.
public struct MasterKey: Sendable {
    public static let byteCount = 32

    public let id: String
    /// Raw key bytes; module-internal so only sealing code (and tests) can reach them.
    let bytes: [UInt8]

    /// - Parameter id: override for the derived id (1–255 UTF-8 bytes); normally left nil.
    public init(bytes: some DataProtocol, id: String? = nil) throws(CryptoError) {
        let raw = Bytes.array(bytes)
        guard raw.count == Self.byteCount else {
            throw .invalidKeyLength(expected: Self.byteCount, actual: raw.count)
        }
        let keyID = id ?? Self.id(forKeyBytes: raw)
        guard !keyID.isEmpty, keyID.utf8.count <= 255 else {
            throw .invalidKeyID("key ids must be 1 to 255 UTF-8 bytes")
        }
        self.bytes = raw
        self.id = keyID
    }

    /// Parses base64 of exactly 32 bytes (surrounding whitespace ignored).
    /// Errors are `master_key_invalid` and never echo the input.
    public init(base64: String, source: String = "the master key") throws(CryptoError) {
        let trimmed = base64.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let data = Data(base64Encoded: trimmed) else {
            throw .masterKeyInvalid("\(source) is not valid base64 (expected base64 of exactly 32 bytes)")
        }
        guard data.count == Self.byteCount else {
            throw .masterKeyInvalid("\(source) must be base64 of exactly 32 bytes; it decodes to \(data.count) bytes")
        }
        try self.init(bytes: data)
    }

    /// A fresh random key.
    public static func generate() throws(CryptoError) -> MasterKey {
        try MasterKey(bytes: SecureRandom.bytes(byteCount))
    }

    /// The default id of a key: first 8 hex characters of its SHA-256.
    public static func id(forKeyBytes bytes: some DataProtocol) -> String {
        String(SHA256.hexDigest(bytes).prefix(8))
    }

    /// The key as base64, for writing a key file or printing a newly generated key once.
    /// Named loudly so that a call site reads as the deliberate export it is.
    public func exportBase64() -> String {
        Data(bytes).base64EncodedString()
    }
}

extension MasterKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "MasterKey(id: \(id))" }
    public var debugDescription: String { description }
    /// Keeps the key bytes out of `dump()` and any Mirror-based logging.
    public var customMirror: Mirror { Mirror(self, children: ["id": id]) }
}
