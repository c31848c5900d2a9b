internal import COpenSSL
import Foundation

/// An RSA public key parsed from PEM, used to verify RSA-SHA256 PKCS#1 v1.5 signatures
/// (Adobe Commerce webhooks sign the base64 of the raw body this way).
///
/// Accepts `-----BEGIN PUBLIC KEY-----` (SubjectPublicKeyInfo) and
/// `-----BEGIN RSA PUBLIC KEY-----` (PKCS#1). Rejects, with `invalid_public_key`, anything else:
/// garbage, private keys, certificates, EC/Ed25519/RSA-PSS keys; and with `key_too_small`
/// RSA keys below `minimumBits` (2048 by default).
///
///     let key = try RSAPublicKey(pem: tenant.webhookPublicKey)
///     let ok = key.verifySHA256PKCS1(signature: signatureBytes,
///                                    message: Array(body.base64EncodedString().utf8))
///
/// Verification never mutates the key, so one instance is shared across threads.
public final class RSAPublicKey: @unchecked Sendable {
    public static let defaultMinimumBits = 2048

    private let pkey: OpaquePointer
    /// Modulus size in bits.
    public let bits: Int

    public init(pem: String, minimumBits: Int = RSAPublicKey.defaultMinimumBits) throws(CryptoError) {
        let text = Self.normalise(pem)
        guard !text.contains("PRIVATE KEY-----") else {
            throw .invalidPublicKey("this is a private key; paste the public key only")
        }
        guard text.contains("-----BEGIN PUBLIC KEY-----") || text.contains("-----BEGIN RSA PUBLIC KEY-----") else {
            if text.contains("-----BEGIN CERTIFICATE-----") {
                throw .invalidPublicKey("this is a certificate; paste the public key (BEGIN PUBLIC KEY)")
            }
            throw .invalidPublicKey("expected a PEM block starting with -----BEGIN PUBLIC KEY-----")
        }
        guard let pkey = Self.decode(text) else {
            throw .invalidPublicKey("the PEM block does not contain a readable public key")
        }
        // RSA-PSS keys are restricted to PSS padding and cannot check PKCS#1 v1.5 signatures.
        guard EVP_PKEY_is_a(pkey, "RSA") == 1 else {
            EVP_PKEY_free(pkey)
            throw .invalidPublicKey("the key is not an RSA key (RSA-SHA256 signatures need one)")
        }
        let bits = Int(EVP_PKEY_get_bits(pkey))
        guard bits >= minimumBits else {
            EVP_PKEY_free(pkey)
            throw .keyTooSmall(bits: bits, minimum: minimumBits)
        }
        self.pkey = pkey
        self.bits = bits
    }

    deinit { EVP_PKEY_free(pkey) }

    /// True when `signature` is a valid RSASSA-PKCS1-v1_5 signature with SHA-256 over `message`.
    /// Any malformed signature (wrong length, garbage) is simply false.
    public func verifySHA256PKCS1(signature: some DataProtocol, message: some DataProtocol) -> Bool {
        let sig = Bytes.array(signature)
        let msg = Bytes.array(message)
        guard !sig.isEmpty, let md = EVP_MD_CTX_new() else { return false }
        defer {
            EVP_MD_CTX_free(md)
            // A failed verify leaves entries in this thread's OpenSSL error queue, which would
            // otherwise surface in unrelated later calls (libcurl, libpq share the queue).
            ERR_clear_error()
        }
        guard EVP_DigestVerifyInit(md, nil, EVP_sha256(), nil, pkey) == 1 else { return false }
        let result = sig.withUnsafeBufferPointer { s in
            msg.withNonNullPointer { m, mCount in
                EVP_DigestVerify(md, s.baseAddress, s.count, m, mCount)
            }
        }
        return result == 1
    }

    /// The key re-encoded as a canonical `BEGIN PUBLIC KEY` (SPKI) PEM, e.g. for storage.
    public var pemSPKI: String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        guard PEM_write_bio_PUBKEY(bio, pkey) == 1 else { return "" }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while true {
            let n = chunk.withUnsafeMutableBufferPointer { BIO_read(bio, $0.baseAddress, Int32($0.count)) }
            if n <= 0 { break }
            out += chunk[..<Int(n)]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Tolerates keys pasted through JSON or environment variables with literal `\n`
    /// sequences, CRLF line ends, or surrounding whitespace.
    private static func normalise(_ pem: String) -> String {
        var text = pem.trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.contains("\n") && text.contains("\\n") {
            text = text.replacingOccurrences(of: "\\n", with: "\n")
        }
        return text.replacingOccurrences(of: "\r\n", with: "\n") + "\n"
    }

    /// Decodes the first PEM public key (SPKI or PKCS#1) with OpenSSL 3's decoder framework.
    private static func decode(_ text: String) -> OpaquePointer? {
        var pkey: OpaquePointer? = nil
        guard let dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, "PEM", nil, nil,
                                                       mlc_evp_pkey_public_key_selection(), nil, nil)
        else { return nil }
        defer {
            OSSL_DECODER_CTX_free(dctx)
            ERR_clear_error()
        }
        let bytes = Array(text.utf8)
        let ok = bytes.withUnsafeBufferPointer { buf -> Int32 in
            var ptr: UnsafePointer<UInt8>? = buf.baseAddress
            var length = buf.count
            return OSSL_DECODER_from_data(dctx, &ptr, &length)
        }
        guard ok == 1, let pkey else {
            if let pkey { EVP_PKEY_free(pkey) }
            return nil
        }
        return pkey
    }
}

extension RSAPublicKey: CustomStringConvertible {
    public var description: String { "RSAPublicKey(\(bits) bits)" }
}
