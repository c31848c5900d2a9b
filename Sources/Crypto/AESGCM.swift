internal import COpenSSL
import Foundation

/// AES-256-GCM authenticated encryption through OpenSSL's EVP cipher API.
///
/// The combined form used everywhere in the connector is `nonce(12) ‖ ciphertext ‖ tag(16)` with
/// a fresh random nonce per message. Any change to the key, the associated data, the nonce,
/// the ciphertext or the tag makes `open` throw `CryptoError.authenticationFailed`.
///
///     let box = try AESGCM.seal(Array("secret".utf8), key: key, aad: Array("tenant:a".utf8))
///     let plain = try AESGCM.open(box, key: key, aad: Array("tenant:a".utf8))
///
/// A random 96-bit nonce is safe for far more messages than one master key will ever seal
/// (NIST SP 800-38D allows 2^32 random nonces per key).
public enum AESGCM {
    public static let keyByteCount = 32
    public static let nonceByteCount = 12
    public static let tagByteCount = 16

    /// Encrypts with a random nonce; returns `nonce ‖ ciphertext ‖ tag`.
    public static func seal(_ plaintext: some DataProtocol, key: some DataProtocol,
                            aad: some DataProtocol = [UInt8]()) throws(CryptoError) -> [UInt8] {
        let nonce = try SecureRandom.bytes(nonceByteCount)
        let (ciphertext, tag) = try seal(plaintext, key: key, nonce: nonce, aad: aad)
        return nonce + ciphertext + tag
    }

    /// Decrypts `nonce ‖ ciphertext ‖ tag` produced by `seal(_:key:aad:)`.
    public static func open(_ combined: some DataProtocol, key: some DataProtocol,
                            aad: some DataProtocol = [UInt8]()) throws(CryptoError) -> [UInt8] {
        let box = Bytes.array(combined)
        guard box.count >= nonceByteCount + tagByteCount else { throw .authenticationFailed }
        let nonce = Array(box[..<nonceByteCount])
        let ciphertext = Array(box[nonceByteCount..<(box.count - tagByteCount)])
        let tag = Array(box[(box.count - tagByteCount)...])
        return try open(ciphertext: ciphertext, tag: tag, key: key, nonce: nonce, aad: aad)
    }

    /// Encrypts with a caller-chosen nonce (test vectors, or formats that store the nonce
    /// elsewhere). Never reuse a nonce with the same key.
    public static func seal(_ plaintext: some DataProtocol, key: some DataProtocol, nonce: some DataProtocol,
                            aad: some DataProtocol = [UInt8]()) throws(CryptoError) -> (ciphertext: [UInt8], tag: [UInt8]) {
        let ctx = try Context(key: Bytes.array(key), nonce: Bytes.array(nonce), encrypt: true)
        try ctx.addAAD(Bytes.array(aad))
        let ciphertext = try ctx.update(Bytes.array(plaintext))
        try ctx.finish()
        return (ciphertext, try ctx.tag())
    }

    /// Decrypts with a caller-supplied nonce and tag (16 bytes).
    public static func open(ciphertext: some DataProtocol, tag: some DataProtocol, key: some DataProtocol,
                            nonce: some DataProtocol, aad: some DataProtocol = [UInt8]()) throws(CryptoError) -> [UInt8] {
        let tagBytes = Bytes.array(tag)
        guard tagBytes.count == tagByteCount else { throw .authenticationFailed }
        let ctx = try Context(key: Bytes.array(key), nonce: Bytes.array(nonce), encrypt: false)
        try ctx.addAAD(Bytes.array(aad))
        let plaintext = try ctx.update(Bytes.array(ciphertext))
        try ctx.setExpectedTag(tagBytes)
        // Final is where GCM compares tags; any failure here means the data is not authentic.
        do { try ctx.finish() } catch { throw .authenticationFailed }
        return plaintext
    }
}

extension AESGCM {
    /// One EVP_CIPHER_CTX for one message; freed on deinit.
    private final class Context {
        private let ctx: OpaquePointer
        private let encrypt: Bool

        init(key: [UInt8], nonce: [UInt8], encrypt: Bool) throws(CryptoError) {
            guard key.count == AESGCM.keyByteCount else {
                throw .invalidKeyLength(expected: AESGCM.keyByteCount, actual: key.count)
            }
            guard (1...1024).contains(nonce.count) else { throw .invalidNonceLength(nonce.count) }
            guard let ctx = EVP_CIPHER_CTX_new() else { throw .openSSL(operation: "EVP_CIPHER_CTX_new") }
            self.ctx = ctx
            self.encrypt = encrypt
            let initFn = encrypt ? EVP_EncryptInit_ex : EVP_DecryptInit_ex
            guard initFn(ctx, EVP_aes_256_gcm(), nil, nil, nil) == 1,
                  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, Int32(nonce.count), nil) == 1,
                  key.withUnsafeBufferPointer({ k in
                      nonce.withUnsafeBufferPointer { n in initFn(ctx, nil, nil, k.baseAddress, n.baseAddress) }
                  }) == 1
            else { throw .openSSL(operation: "AES-GCM init") }
        }

        deinit { EVP_CIPHER_CTX_free(ctx) }

        func addAAD(_ aad: [UInt8]) throws(CryptoError) {
            guard !aad.isEmpty else { return }
            var outLength: Int32 = 0
            let fn = encrypt ? EVP_EncryptUpdate : EVP_DecryptUpdate
            let ok = aad.withUnsafeBufferPointer { fn(ctx, nil, &outLength, $0.baseAddress, Int32($0.count)) }
            guard ok == 1 else { throw .openSSL(operation: "AES-GCM aad") }
        }

        func update(_ input: [UInt8]) throws(CryptoError) -> [UInt8] {
            guard !input.isEmpty else { return [] }
            guard input.count < Int(Int32.max) - 32 else { throw .openSSL(operation: "AES-GCM input too large") }
            var out = [UInt8](repeating: 0, count: input.count)
            var outLength: Int32 = 0
            let fn = encrypt ? EVP_EncryptUpdate : EVP_DecryptUpdate
            let ok = input.withUnsafeBufferPointer { i in
                out.withUnsafeMutableBufferPointer { o in
                    fn(ctx, o.baseAddress, &outLength, i.baseAddress, Int32(i.count))
                }
            }
            // GCM is a stream mode: output length always equals input length.
            guard ok == 1, Int(outLength) == input.count else { throw .openSSL(operation: "AES-GCM update") }
            return out
        }

        func finish() throws(CryptoError) {
            var scratch = [UInt8](repeating: 0, count: 16)
            var outLength: Int32 = 0
            let fn = encrypt ? EVP_EncryptFinal_ex : EVP_DecryptFinal_ex
            let ok = scratch.withUnsafeMutableBufferPointer { fn(ctx, $0.baseAddress, &outLength) }
            guard ok == 1 else {
                ERR_clear_error()
                throw .openSSL(operation: "AES-GCM final")
            }
        }

        func tag() throws(CryptoError) -> [UInt8] {
            var tag = [UInt8](repeating: 0, count: AESGCM.tagByteCount)
            let ok = tag.withUnsafeMutableBufferPointer {
                EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, Int32(AESGCM.tagByteCount), $0.baseAddress)
            }
            guard ok == 1 else { throw .openSSL(operation: "AES-GCM get tag") }
            return tag
        }

        func setExpectedTag(_ tag: [UInt8]) throws(CryptoError) {
            var copy = tag
            let ok = copy.withUnsafeMutableBufferPointer {
                EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, Int32($0.count), $0.baseAddress)
            }
            guard ok == 1 else { throw .openSSL(operation: "AES-GCM set tag") }
        }
    }
}
