import COpenSSL
import Foundation

/// An RSA private key that signs like Commerce's webhook module (`openssl_sign(…, SHA256)`:
/// RSASSA-PKCS1-v1_5 with SHA-256). Only the simulator signs; the product only verifies, so
/// this lives here rather than in `Crypto`.
final class RSASigner: @unchecked Sendable {
    enum Failure: Error, CustomStringConvertible {
        case openSSL(String)
        var description: String {
            switch self { case .openSSL(let op): "OpenSSL failed: \(op)" }
        }
    }

    private let pkey: OpaquePointer

    /// Generates a fresh key (2048 bits, like the Admin's "Regenerate key pair").
    init(bits: Int32 = 2048) throws {
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, "RSA", nil) else { throw Failure.openSSL("EVP_PKEY_CTX_new_from_name") }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_keygen_init(ctx) == 1, EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, bits) == 1 else {
            throw Failure.openSSL("keygen init")
        }
        var key: OpaquePointer?
        guard EVP_PKEY_generate(ctx, &key) == 1, let key else { throw Failure.openSSL("EVP_PKEY_generate") }
        pkey = key
    }

    /// Loads a PEM private key (`BEGIN PRIVATE KEY` or `BEGIN RSA PRIVATE KEY`).
    init(privateKeyPEM pem: String) throws {
        let bytes = Array(pem.utf8)
        guard let bio = bytes.withUnsafeBufferPointer({ BIO_new_mem_buf($0.baseAddress, Int32($0.count)) }) else {
            throw Failure.openSSL("BIO_new_mem_buf")
        }
        defer { BIO_free(bio) }
        guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else {
            ERR_clear_error()
            throw Failure.openSSL("PEM_read_bio_PrivateKey (not a readable private key)")
        }
        pkey = key
    }

    deinit { EVP_PKEY_free(pkey) }

    /// `BEGIN PUBLIC KEY` (SPKI) PEM, what the Commerce Admin shows for the receiver.
    var publicKeyPEM: String { write { PEM_write_bio_PUBKEY($0, pkey) } }

    /// PKCS#8 `BEGIN PRIVATE KEY` PEM, to persist a simulator key across runs.
    var privateKeyPEM: String { write { PEM_write_bio_PrivateKey($0, pkey, nil, nil, 0, nil, nil) } }

    /// RSASSA-PKCS1-v1_5 / SHA-256 signature of `message`.
    func signSHA256(_ message: [UInt8]) throws -> [UInt8] {
        guard let md = EVP_MD_CTX_new() else { throw Failure.openSSL("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(md) }
        guard EVP_DigestSignInit(md, nil, EVP_sha256(), nil, pkey) == 1 else { throw Failure.openSSL("EVP_DigestSignInit") }
        var length = 0
        let input = message.isEmpty ? [0] : message
        let inputCount = message.count
        guard input.withUnsafeBufferPointer({ EVP_DigestSign(md, nil, &length, $0.baseAddress, inputCount) }) == 1 else {
            throw Failure.openSSL("EVP_DigestSign size")
        }
        var signature = [UInt8](repeating: 0, count: length)
        let ok = signature.withUnsafeMutableBufferPointer { s in
            input.withUnsafeBufferPointer { EVP_DigestSign(md, s.baseAddress, &length, $0.baseAddress, inputCount) }
        }
        guard ok == 1 else { throw Failure.openSSL("EVP_DigestSign") }
        return Array(signature.prefix(length))
    }

    /// The `x-adobe-commerce-webhook-signature` value: `base64(sign(base64(body)))`.
    func webhookSignature(body: [UInt8]) throws -> String {
        let signedText = Array(Data(body).base64EncodedString().utf8)
        return Data(try signSHA256(signedText)).base64EncodedString()
    }

    private func write(_ body: (OpaquePointer) -> Int32) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        guard body(bio) == 1 else { return "" }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBufferPointer { BIO_read(bio, $0.baseAddress, Int32($0.count)) }
            if n <= 0 { break }
            out += chunk[..<Int(n)]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
