import Foundation

/// The master keys the vault may use: one current key that seals, plus older keys that may
/// still open secrets sealed before a rotation.
///
///     let keyring = try Keyring(current: newKey, previous: [oldKey])
///     let blob = try keyring.seal("s3cret", aad: SealedSecret.aad(tenant: "acme", field: "gp.password"))
///     let plain = try keyring.openString(blob, aad: SealedSecret.aad(tenant: "acme", field: "gp.password"))
///
/// Rotation: load the new key as `current` and the old one in `previous`; every secret stays
/// readable while `reseal(_:aad:)` rewrites them under the new key one by one.
public struct Keyring: Sendable {
    public let current: MasterKey
    private let keysByID: [String: MasterKey]

    /// Throws `invalid_key_id` when two different keys share an id.
    public init(current: MasterKey, previous: [MasterKey] = []) throws(CryptoError) {
        var byID: [String: MasterKey] = [current.id: current]
        for key in previous {
            if let existing = byID[key.id] {
                guard constantTimeEquals(existing.bytes, key.bytes) else {
                    throw .invalidKeyID("two different master keys share the id \(key.id)")
                }
                continue
            }
            byID[key.id] = key
        }
        self.current = current
        self.keysByID = byID
    }

    /// Ids of every key that can open secrets, current first.
    public var keyIDs: [String] {
        [current.id] + keysByID.keys.filter { $0 != current.id }.sorted()
    }

    public func key(id: String) -> MasterKey? { keysByID[id] }

    /// Seals under the current key into the `SealedSecret` binary format.
    public func seal(_ plaintext: some DataProtocol, aad: String) throws(CryptoError) -> [UInt8] {
        try SealedSecret.seal(plaintext, with: current, aad: aad).bytes
    }

    public func seal(_ plaintext: String, aad: String) throws(CryptoError) -> [UInt8] {
        try seal(Array(plaintext.utf8), aad: aad)
    }

    /// Opens a blob sealed under any key in the ring.
    /// Throws `malformed_ciphertext`, `unknown_key_id` or `authentication_failed`.
    public func open(_ blob: some DataProtocol, aad: String) throws(CryptoError) -> [UInt8] {
        let sealed = try SealedSecret(parsing: blob)
        guard let key = keysByID[sealed.keyID] else { throw .unknownKeyID(sealed.keyID) }
        return try sealed.open(with: key, aad: aad)
    }

    /// `open` for secrets that are text; non-UTF-8 plaintext is reported as malformed.
    public func openString(_ blob: some DataProtocol, aad: String) throws(CryptoError) -> String {
        let bytes = try open(blob, aad: aad)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .malformedCiphertext("the secret is not UTF-8 text")
        }
        return text
    }

    /// True when the blob was sealed under a key other than the current one.
    public func needsResealing(_ blob: some DataProtocol) throws(CryptoError) -> Bool {
        try SealedSecret(parsing: blob).keyID != current.id
    }

    /// Opens with whichever key sealed the blob and seals again under the current key
    /// (a fresh nonce, same AAD).
    public func reseal(_ blob: some DataProtocol, aad: String) throws(CryptoError) -> [UInt8] {
        try seal(open(blob, aad: aad), aad: aad)
    }
}

extension Keyring: CustomStringConvertible {
    public var description: String { "Keyring(current: \(current.id), keys: \(keyIDs.joined(separator: ",")))" }
}
