internal import COpenSSL
import Foundation

/// SHA-256 through OpenSSL's EVP digest API.
///
/// Used for API token storage (tokens are stored as their SHA-256), master key ids, and
/// anywhere a fingerprint is needed.
///
///     let digest = SHA256.hash("token")           // 32 bytes
///     let hex = SHA256.hexDigest("token")         // 64 lowercase hex characters
public enum SHA256 {
    public static let byteCount = 32

    public static func hash(_ data: some DataProtocol) -> [UInt8] {
        let input = Bytes.array(data)
        var out = [UInt8](repeating: 0, count: byteCount)
        var outLength: UInt32 = 0
        let ok = input.withNonNullPointer { ptr, count in
            out.withUnsafeMutableBufferPointer { o in
                EVP_Digest(ptr, count, o.baseAddress, &outLength, EVP_sha256(), nil)
            }
        }
        // EVP_Digest with a built-in digest on in-memory data cannot fail short of memory
        // exhaustion; a zero digest would be silently wrong, so trap rather than return it.
        precondition(ok == 1 && outLength == 32, "EVP_Digest(SHA-256) failed")
        return out
    }

    public static func hash(_ string: String) -> [UInt8] {
        hash(Array(string.utf8))
    }

    /// Lowercase hex of the SHA-256 of `data`.
    public static func hexDigest(_ data: some DataProtocol) -> String {
        Hex.encode(hash(data))
    }

    public static func hexDigest(_ string: String) -> String {
        Hex.encode(hash(string))
    }
}
