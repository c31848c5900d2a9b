import Foundation
import Testing
@testable import Crypto

/// AES-256 test cases 13–18 of McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)"
/// (the vectors NIST publishes with SP 800-38D). 16, 17 and 18 carry AAD; 17 and 18 use
/// 64-bit and 480-bit nonces.
struct GCMVector: Sendable, CustomTestStringConvertible {
    let name: String, key: String, nonce: String, plaintext: String, aad: String, ciphertext: String, tag: String
    var testDescription: String { name }
}

private let feffeKey = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
private let plain60 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
private let specAAD = "feedfacedeadbeeffeedfacedeadbeefabaddad2"

let gcmVectors: [GCMVector] = [
    GCMVector(name: "Test Case 13", key: String(repeating: "00", count: 32), nonce: String(repeating: "00", count: 12),
              plaintext: "", aad: "", ciphertext: "", tag: "530f8afbc74536b9a963b4f1c4cb738b"),
    GCMVector(name: "Test Case 14", key: String(repeating: "00", count: 32), nonce: String(repeating: "00", count: 12),
              plaintext: String(repeating: "00", count: 16), aad: "",
              ciphertext: "cea7403d4d606b6e074ec5d3baf39d18", tag: "d0d1c8a799996bf0265b98b5d48ab919"),
    GCMVector(name: "Test Case 15", key: feffeKey, nonce: "cafebabefacedbaddecaf888",
              plaintext: plain60 + "1aafd255", aad: "",
              ciphertext: "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
              tag: "b094dac5d93471bdec1a502270e3cc6c"),
    GCMVector(name: "Test Case 16", key: feffeKey, nonce: "cafebabefacedbaddecaf888",
              plaintext: plain60, aad: specAAD,
              ciphertext: "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
              tag: "76fc6ece0f4e1768cddf8853bb2d551b"),
    GCMVector(name: "Test Case 17", key: feffeKey, nonce: "cafebabefacedbad",
              plaintext: plain60, aad: specAAD,
              ciphertext: "c3762df1ca787d32ae47c13bf19844cbaf1ae14d0b976afac52ff7d79bba9de0feb582d33934a4f0954cc2363bc73f7862ac430e64abe499f47c9b1f",
              tag: "3a337dbf46a792c45e454913fe2ea8f2"),
    GCMVector(name: "Test Case 18", key: feffeKey,
              nonce: "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b",
              plaintext: plain60, aad: specAAD,
              ciphertext: "5a8def2f0c9e53f1f75d7853659e2a20eeb2b22aafde6419a058ab4f6f746bf40fc0c3b780f244452da3ebf1c5d82cdea2418997200ef82e44ae7e3f",
              tag: "a44a8266ee1c8eb0c8b5d4cf5ae9f19a"),
]

@Suite struct AESGCMTests {
    @Test(arguments: gcmVectors)
    func encryptionMatchesPublishedGCMVector(_ v: GCMVector) throws {
        let (ciphertext, tag) = try AESGCM.seal(hex(v.plaintext), key: hex(v.key), nonce: hex(v.nonce), aad: hex(v.aad))
        #expect(Hex.encode(ciphertext) == v.ciphertext)
        #expect(Hex.encode(tag) == v.tag)
    }

    @Test(arguments: gcmVectors)
    func decryptionOfPublishedGCMVectorRecoversPlaintext(_ v: GCMVector) throws {
        let plain = try AESGCM.open(ciphertext: hex(v.ciphertext), tag: hex(v.tag), key: hex(v.key),
                                    nonce: hex(v.nonce), aad: hex(v.aad))
        #expect(Hex.encode(plain) == v.plaintext)
    }

    @Test(arguments: gcmVectors.filter { !$0.aad.isEmpty })
    func publishedVectorWithAlteredAADFailsAuthentication(_ v: GCMVector) {
        var aad = hex(v.aad)
        aad[aad.count - 1] ^= 0x01
        #expect(throws: CryptoError.authenticationFailed) {
            try AESGCM.open(ciphertext: hex(v.ciphertext), tag: hex(v.tag), key: hex(v.key), nonce: hex(v.nonce), aad: aad)
        }
    }

    @Test func sealedBoxIsNonceCiphertextTagAndRoundTrips() throws {
        let key = try SecureRandom.bytes(32)
        let plain = utf8("correct horse battery staple")
        let box = try AESGCM.seal(plain, key: key, aad: utf8("ctx"))
        #expect(box.count == 12 + plain.count + 16)
        #expect(try AESGCM.open(box, key: key, aad: utf8("ctx")) == plain)
        // The explicit-nonce form over the same parts agrees with the combined form.
        let (ct, tag) = try AESGCM.seal(plain, key: key, nonce: Array(box[..<12]), aad: utf8("ctx"))
        #expect(Array(box[12...]) == ct + tag)
    }

    @Test func twoSealsOfTheSamePlaintextUseDifferentNonces() throws {
        let key = try SecureRandom.bytes(32)
        let a = try AESGCM.seal(utf8("same"), key: key)
        let b = try AESGCM.seal(utf8("same"), key: key)
        #expect(a[..<12] != b[..<12])
        #expect(a != b)
    }

    @Test func flippingAnyBitOfASealedBoxFailsAuthentication() throws {
        let key = try SecureRandom.bytes(32)
        let box = try AESGCM.seal(utf8("secret value"), key: key, aad: utf8("aad"))
        for index in box.indices {
            for bit in [0, 7] {
                var tampered = box
                tampered[index] ^= UInt8(1 << bit)
                #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(tampered, key: key, aad: utf8("aad")) }
            }
        }
    }

    @Test func wrongKeyWrongAADTruncationAndEmptyInputFailAuthentication() throws {
        let key = try SecureRandom.bytes(32)
        let box = try AESGCM.seal(utf8("secret"), key: key, aad: utf8("a"))
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(box, key: SecureRandom.bytes(32), aad: utf8("a")) }
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(box, key: key, aad: utf8("b")) }
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(box, key: key) }
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(Array(box.dropLast()), key: key, aad: utf8("a")) }
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(box + [0], key: key, aad: utf8("a")) }
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open([UInt8](), key: key) }
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(Array(box[..<27]), key: key, aad: utf8("a")) }
    }

    @Test func keysThatAreNot32BytesAreRejected() {
        #expect(throws: CryptoError.invalidKeyLength(expected: 32, actual: 16)) {
            try AESGCM.seal(utf8("x"), key: [UInt8](repeating: 1, count: 16))
        }
        #expect(throws: CryptoError.invalidNonceLength(0)) {
            try AESGCM.seal(utf8("x"), key: [UInt8](repeating: 1, count: 32), nonce: [UInt8]())
        }
    }

    @Test(.enabled(if: pythonCryptographyAvailable, "python3 with cryptography is installed"))
    func pythonCryptographyOpensWhatWeSealed() throws {
        let key = try SecureRandom.bytes(32)
        let box = try AESGCM.seal(utf8("interop ✓"), key: key, aad: utf8("tenant:t|field:f"))
        let script = """
        import sys
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        key, box = bytes.fromhex(sys.argv[1]), bytes.fromhex(sys.argv[2])
        sys.stdout.write(AESGCM(key).decrypt(box[:12], box[12:], b"tenant:t|field:f").decode())
        """
        let out = try run("python3", ["-c", script, Hex.encode(key), Hex.encode(box)])
        #expect(String(decoding: out, as: UTF8.self) == "interop ✓")
    }
}
