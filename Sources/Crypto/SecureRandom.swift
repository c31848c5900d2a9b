internal import COpenSSL
import Foundation

/// Cryptographically secure random bytes and tokens from OpenSSL's DRBG (`RAND_bytes`).
///
///     let token = try SecureRandom.token()       // 43 characters of base64url, 256 bits
public enum SecureRandom {
    public static func bytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        precondition(count >= 0, "negative random byte count")
        var out = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return out }
        let ok = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) }
        guard ok == 1 else { throw .randomFailure }
        return out
    }

    /// A URL-safe random token: `byteCount` random bytes as base64url without padding
    /// (32 bytes → 43 characters).
    public static func token(byteCount: Int = 32) throws(CryptoError) -> String {
        Base64URL.encode(try bytes(byteCount))
    }
}
