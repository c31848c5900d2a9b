internal import COpenSSL
import Foundation

/// HMAC through OpenSSL's EVP_MAC API (`EVP_Q_mac`).
///
/// SHA-256 signs OAuth 1.0a requests to Adobe Commerce and anything we authenticate ourselves;
/// SHA-1 exists only for peers that still require it.
///
///     let mac = HMAC.sha256(key: secret, data: Array(baseString.utf8))
///     let signature = Data(mac).base64EncodedString()
public enum HMAC {
    public static func sha256(key: some DataProtocol, data: some DataProtocol) -> [UInt8] {
        mac(digest: "SHA256", size: 32, key: Bytes.array(key), data: Bytes.array(data))
    }

    public static func sha256(key: String, data: String) -> [UInt8] {
        sha256(key: Array(key.utf8), data: Array(data.utf8))
    }

    public static func sha1(key: some DataProtocol, data: some DataProtocol) -> [UInt8] {
        mac(digest: "SHA1", size: 20, key: Bytes.array(key), data: Bytes.array(data))
    }

    public static func sha1(key: String, data: String) -> [UInt8] {
        sha1(key: Array(key.utf8), data: Array(data.utf8))
    }

    private static func mac(digest: String, size: Int, key: [UInt8], data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: size)
        var outLength = 0
        let result = key.withNonNullPointer { k, kCount in
            data.withNonNullPointer { d, dCount in
                out.withUnsafeMutableBufferPointer { o in
                    EVP_Q_mac(nil, "HMAC", nil, digest, nil,
                              k, kCount, d, dCount,
                              o.baseAddress, size, &outLength)
                }
            }
        }
        // Only memory exhaustion can fail here; returning a wrong MAC silently would be worse.
        precondition(result != nil && outLength == size, "EVP_Q_mac(HMAC-\(digest)) failed")
        return out
    }
}
