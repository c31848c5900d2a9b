import Foundation
import Testing
@testable import Crypto

/// A webhook body as Adobe Commerce would POST it; Commerce signs base64(body).
private let body = utf8(#"{"eventCode":"observer.sales_order_place_after","data":{"value":{"increment_id":"000000042","grand_total":"99.50"}}}"#)
private var signedMessage: [UInt8] { utf8(Data(body).base64EncodedString()) }

@Suite struct RSAPublicKeyTests {
    @Test func opensslSignatureOverBase64BodyVerifiesWithSPKIKey() throws {
        let fixture = try RSAFixture.get()
        let key = try RSAPublicKey(pem: fixture.publicSPKI)
        let signature = try fixture.opensslSign(signedMessage)
        #expect(key.bits == 2048)
        #expect(key.verifySHA256PKCS1(signature: signature, message: signedMessage))
        #expect(key.verifySHA256PKCS1(signature: Data(signature), message: Data(signedMessage)))
    }

    @Test func pkcs1PublicKeyFormVerifiesTheSameSignature() throws {
        let fixture = try RSAFixture.get()
        #expect(fixture.publicPKCS1.contains("BEGIN RSA PUBLIC KEY"))
        let key = try RSAPublicKey(pem: fixture.publicPKCS1)
        #expect(key.verifySHA256PKCS1(signature: try fixture.opensslSign(signedMessage), message: signedMessage))
        #expect(key.pemSPKI == fixture.publicSPKI)
    }

    @Test func flippingAnyBitOfTheSignatureFailsVerification() throws {
        let fixture = try RSAFixture.get()
        let key = try RSAPublicKey(pem: fixture.publicSPKI)
        let signature = try fixture.opensslSign(signedMessage)
        for index in stride(from: 0, to: signature.count, by: 17) + [signature.count - 1] {
            var bad = signature
            bad[index] ^= 0x01
            #expect(!key.verifySHA256PKCS1(signature: bad, message: signedMessage), "bit flip at byte \(index)")
        }
    }

    @Test func changedMessageTruncatedOrEmptySignatureFailVerification() throws {
        let fixture = try RSAFixture.get()
        let key = try RSAPublicKey(pem: fixture.publicSPKI)
        let signature = try fixture.opensslSign(signedMessage)
        var changed = signedMessage
        changed[5] ^= 0x01
        #expect(!key.verifySHA256PKCS1(signature: signature, message: changed))
        #expect(!key.verifySHA256PKCS1(signature: Array(signature.dropLast()), message: signedMessage))
        #expect(!key.verifySHA256PKCS1(signature: signature + [0], message: signedMessage))
        #expect(!key.verifySHA256PKCS1(signature: [UInt8](), message: signedMessage))
        #expect(!key.verifySHA256PKCS1(signature: [UInt8](repeating: 0, count: 256), message: signedMessage))
    }

    @Test func signatureOverRawBodyDoesNotVerifyTheBase64Message() throws {
        let fixture = try RSAFixture.get()
        let key = try RSAPublicKey(pem: fixture.publicSPKI)
        let overRawBody = try fixture.opensslSign(body)
        #expect(key.verifySHA256PKCS1(signature: overRawBody, message: body))
        #expect(!key.verifySHA256PKCS1(signature: overRawBody, message: signedMessage))
    }

    @Test func signatureFromAnotherKeyFailsVerification() throws {
        let fixture = try RSAFixture.get()
        let key = try RSAPublicKey(pem: fixture.publicSPKI)
        let foreign = try fixture.opensslSign(signedMessage, key: fixture.otherPrivateKeyPath)
        #expect(!key.verifySHA256PKCS1(signature: foreign, message: signedMessage))
    }

    @Test(.enabled(if: pythonCryptographyAvailable, "python3 with cryptography is installed"))
    func pythonCryptographySignatureVerifies() throws {
        let script = """
        import sys, base64
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa, padding
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        message = bytes.fromhex(sys.argv[1])
        sig = key.sign(message, padding.PKCS1v15(), hashes.SHA256())
        pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        sys.stdout.write(sig.hex() + "\\n" + pem.decode())
        """
        let out = String(decoding: try run("python3", ["-c", script, Hex.encode(signedMessage)]), as: UTF8.self)
        let newline = try #require(out.firstIndex(of: "\n"))
        let signature = hex(String(out[..<newline]))
        let key = try RSAPublicKey(pem: String(out[out.index(after: newline)...]))
        #expect(key.verifySHA256PKCS1(signature: signature, message: signedMessage))
        var bad = signature
        bad[0] ^= 0x80
        #expect(!key.verifySHA256PKCS1(signature: bad, message: signedMessage))
        #expect(!key.verifySHA256PKCS1(signature: signature, message: body))
    }

    @Test func keysUnder2048BitsAreRejectedAsTooSmall() throws {
        let fixture = try RSAFixture.get()
        #expect(throws: CryptoError.keyTooSmall(bits: 1024, minimum: 2048)) { try RSAPublicKey(pem: fixture.rsa1024Public) }
        #expect(try RSAPublicKey(pem: fixture.rsa3072Public).bits == 3072)
        #expect(throws: CryptoError.keyTooSmall(bits: 2048, minimum: 3072)) {
            try RSAPublicKey(pem: fixture.publicSPKI, minimumBits: 3072)
        }
    }

    @Test func nonRSAKeysAreRejectedAsInvalidPublicKeys() throws {
        let fixture = try RSAFixture.get()
        for pem in [fixture.ecPublic, fixture.ed25519Public, fixture.rsaPSSPublic] {
            let error = #expect(throws: CryptoError.self) { try RSAPublicKey(pem: pem) }
            #expect(error?.code == "invalid_public_key")
        }
    }

    @Test func privateKeysCertificatesAndGarbageAreRejectedWithoutEchoingInput() throws {
        let fixture = try RSAFixture.get()
        let spkiBody = fixture.publicSPKI.split(separator: "\n").dropFirst().dropLast().joined()
        var corrupted = Array(fixture.publicSPKI.utf8)
        corrupted[60] = UInt8(ascii: "!")
        let inputs = [
            "", "not a key", fixture.privateKeyPEM, fixture.certificate, spkiBody,
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
            "-----BEGIN PUBLIC KEY-----\n\(Data(repeating: 0x30, count: 300).base64EncodedString())\n-----END PUBLIC KEY-----\n",
            String(decoding: corrupted, as: UTF8.self),
            String(fixture.publicSPKI.prefix(200)),
        ]
        for input in inputs {
            let error = #expect(throws: CryptoError.self) { try RSAPublicKey(pem: input) }
            #expect(error?.code == "invalid_public_key")
            #expect(!(error?.description.contains(String(spkiBody.prefix(40))) ?? true))
        }
    }

    @Test func keyPastedWithLiteralBackslashNAndCRLFParses() throws {
        let fixture = try RSAFixture.get()
        let escaped = fixture.publicSPKI.replacingOccurrences(of: "\n", with: "\\n")
        let crlf = "  " + fixture.publicSPKI.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
        #expect(try RSAPublicKey(pem: escaped).bits == 2048)
        #expect(try RSAPublicKey(pem: crlf).bits == 2048)
    }

    @Test func oneKeyVerifiesFromManyThreadsAtOnce() async throws {
        let fixture = try RSAFixture.get()
        let key = try RSAPublicKey(pem: fixture.publicSPKI)
        let signature = try fixture.opensslSign(signedMessage)
        let message = signedMessage
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<64 {
                group.addTask {
                    var sig = signature
                    if i % 2 == 1 { sig[i] ^= 1 }
                    return key.verifySHA256PKCS1(signature: sig, message: message) == (i % 2 == 0)
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 64 && results.allSatisfy { $0 })
    }
}
