import Foundation

/// The vault's ciphertext format: one secret sealed with AES-256-GCM under a master key.
///
/// Binary layout (version 1):
///
///     [version = 0x01][key id length n (1 byte)][key id, n bytes UTF-8][nonce, 12][ciphertext][tag, 16]
///
/// The GCM associated data is the header (`version ‖ n ‖ key id`) followed by the caller's AAD,
/// `tenant:<id>|field:<name>` (see `aad(tenant:field:)`). So a blob copied to another tenant or
/// field, relabelled with another version or key id, or modified anywhere fails to open with
/// `authentication_failed` instead of yielding garbage.
public struct SealedSecret: Sendable, Equatable {
    public static let currentVersion: UInt8 = 1

    public let version: UInt8
    public let keyID: String
    public let nonce: [UInt8]
    public let ciphertext: [UInt8]
    public let tag: [UInt8]

    /// The AAD that binds a secret to its tenant and field. Tenant ids are slugs or UUIDs and
    /// field names are dotted paths, so the `|` separator cannot be forged from either part.
    public static func aad(tenant: String, field: String) -> String {
        "tenant:\(tenant)|field:\(field)"
    }

    /// Parses the binary form; throws `malformed_ciphertext` for anything not of this format.
    public init(parsing blob: some DataProtocol) throws(CryptoError) {
        let b = Bytes.array(blob)
        guard let version = b.first else { throw .malformedCiphertext("empty") }
        guard version == Self.currentVersion else {
            throw .malformedCiphertext("unknown format version \(version)")
        }
        guard b.count >= 2 else { throw .malformedCiphertext("truncated header") }
        let idLength = Int(b[1])
        guard idLength > 0 else { throw .malformedCiphertext("empty key id") }
        let bodyStart = 2 + idLength
        guard b.count >= bodyStart + AESGCM.nonceByteCount + AESGCM.tagByteCount else {
            throw .malformedCiphertext("truncated (\(b.count) bytes)")
        }
        guard let keyID = String(validating: b[2..<bodyStart], as: UTF8.self) else {
            throw .malformedCiphertext("key id is not UTF-8")
        }
        let cipherStart = bodyStart + AESGCM.nonceByteCount
        let tagStart = b.count - AESGCM.tagByteCount
        self.version = version
        self.keyID = keyID
        self.nonce = Array(b[bodyStart..<cipherStart])
        self.ciphertext = Array(b[cipherStart..<tagStart])
        self.tag = Array(b[tagStart...])
    }

    private init(keyID: String, nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) {
        self.version = Self.currentVersion
        self.keyID = keyID
        self.nonce = nonce
        self.ciphertext = ciphertext
        self.tag = tag
    }

    /// The binary form to store.
    public var bytes: [UInt8] {
        Self.header(version: version, keyID: keyID) + nonce + ciphertext + tag
    }

    /// Seals under `key` with a fresh random nonce.
    public static func seal(_ plaintext: some DataProtocol, with key: MasterKey, aad: String) throws(CryptoError) -> SealedSecret {
        let nonce = try SecureRandom.bytes(AESGCM.nonceByteCount)
        let header = header(version: currentVersion, keyID: key.id)
        let (ciphertext, tag) = try AESGCM.seal(plaintext, key: key.bytes, nonce: nonce,
                                                aad: header + Array(aad.utf8))
        return SealedSecret(keyID: key.id, nonce: nonce, ciphertext: ciphertext, tag: tag)
    }

    /// Opens with `key`, which must be the key this secret names.
    public func open(with key: MasterKey, aad: String) throws(CryptoError) -> [UInt8] {
        guard key.id == keyID else { throw .unknownKeyID(keyID) }
        return try AESGCM.open(ciphertext: ciphertext, tag: tag, key: key.bytes, nonce: nonce,
                               aad: Self.header(version: version, keyID: keyID) + Array(aad.utf8))
    }

    private static func header(version: UInt8, keyID: String) -> [UInt8] {
        let id = Array(keyID.utf8)
        return [version, UInt8(id.count)] + id
    }
}

extension SealedSecret: CustomStringConvertible {
    public var description: String {
        "SealedSecret(v\(version), key: \(keyID), \(ciphertext.count) bytes)"
    }
}
