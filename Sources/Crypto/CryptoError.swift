/// Every failure the `Crypto` module reports.
///
/// Each case has a stable snake_case `code` (for logs, JSON errors and tests) and a human
/// `message`. No case ever carries key bytes, plaintext, tokens or signatures: what a case may
/// carry is limited to lengths, key ids (non-secret fingerprints), file paths and sizes.
public enum CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// AES-GCM open failed: wrong key, wrong associated data, or a modified nonce/ciphertext/tag.
    case authenticationFailed
    /// A symmetric key, nonce or tag had the wrong length for the algorithm.
    case invalidKeyLength(expected: Int, actual: Int)
    case invalidNonceLength(Int)
    /// Sealed blob cannot be parsed (truncated, unknown version, bad key id field).
    case malformedCiphertext(String)
    /// A sealed blob names a key id the keyring does not hold.
    case unknownKeyID(String)
    /// A key id is empty, longer than 255 UTF-8 bytes, or duplicated in a keyring.
    case invalidKeyID(String)
    /// PEM text is not a usable RSA public key (garbage, private key, EC key, ...).
    case invalidPublicKey(String)
    /// The RSA key is smaller than the minimum accepted size.
    case keyTooSmall(bits: Int, minimum: Int)
    /// No master key configured and creating one was not allowed.
    case masterKeyMissing(String)
    /// The configured master key is not base64 of exactly 32 bytes.
    case masterKeyInvalid(String)
    /// A master key file exists but could not be read or written.
    case masterKeyUnreadable(String)
    /// Both `MLC_MASTER_KEY` and `MLC_MASTER_KEY_FILE` are set; refusing to guess.
    case masterKeyConflict
    /// The system random generator failed; nothing random can be produced safely.
    case randomFailure
    /// An OpenSSL call failed unexpectedly (names the operation, never the data).
    case openSSL(operation: String)

    public var code: String {
        switch self {
        case .authenticationFailed: "authentication_failed"
        case .invalidKeyLength: "invalid_key_length"
        case .invalidNonceLength: "invalid_nonce_length"
        case .malformedCiphertext: "malformed_ciphertext"
        case .unknownKeyID: "unknown_key_id"
        case .invalidKeyID: "invalid_key_id"
        case .invalidPublicKey: "invalid_public_key"
        case .keyTooSmall: "key_too_small"
        case .masterKeyMissing: "master_key_missing"
        case .masterKeyInvalid: "master_key_invalid"
        case .masterKeyUnreadable: "master_key_unreadable"
        case .masterKeyConflict: "master_key_conflict"
        case .randomFailure: "random_failure"
        case .openSSL: "crypto_internal_error"
        }
    }

    public var message: String {
        switch self {
        case .authenticationFailed:
            "the ciphertext could not be authenticated (wrong key, wrong tenant/field binding, or modified data)"
        case .invalidKeyLength(let expected, let actual):
            "key must be \(expected) bytes, got \(actual)"
        case .invalidNonceLength(let n):
            "nonce length \(n) is not supported"
        case .malformedCiphertext(let why):
            "sealed secret is malformed: \(why)"
        case .unknownKeyID(let id):
            "sealed secret uses master key id \(id), which is not loaded (was it rotated away?)"
        case .invalidKeyID(let why):
            "invalid key id: \(why)"
        case .invalidPublicKey(let why):
            "not a usable RSA public key: \(why)"
        case .keyTooSmall(let bits, let minimum):
            "RSA key is \(bits) bits; at least \(minimum) bits are required"
        case .masterKeyMissing(let why):
            "no master key: \(why)"
        case .masterKeyInvalid(let why):
            "master key is invalid: \(why)"
        case .masterKeyUnreadable(let why):
            "master key file problem: \(why)"
        case .masterKeyConflict:
            "both MLC_MASTER_KEY and MLC_MASTER_KEY_FILE are set; set only one"
        case .randomFailure:
            "the system random number generator failed"
        case .openSSL(let operation):
            "OpenSSL operation failed: \(operation)"
        }
    }

    public var description: String { "\(code): \(message)" }
}
