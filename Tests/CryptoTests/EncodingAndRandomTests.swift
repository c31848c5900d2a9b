import Foundation
import Testing
@testable import Crypto

@Suite struct EncodingAndRandomTests {
    @Test func constantTimeEqualsComparesContentAndLength() {
        #expect(constantTimeEquals(utf8("token-abc"), utf8("token-abc")))
        #expect(!constantTimeEquals(utf8("token-abc"), utf8("token-abd")))
        #expect(!constantTimeEquals(utf8("xoken-abc"), utf8("token-abc")))
        #expect(!constantTimeEquals(utf8("token-abc"), utf8("token-ab")))
        #expect(!constantTimeEquals(utf8("token-ab"), utf8("token-abc")))
        #expect(!constantTimeEquals(utf8(""), utf8("a")))
        #expect(constantTimeEquals([UInt8](), Data()))
        #expect(constantTimeEquals("ü", "ü"))
        #expect(!constantTimeEquals("a", "b"))
        #expect(constantTimeEquals(Data(SHA256.hash("t")), SHA256.hash("t")))
    }

    @Test func hexRoundTripsAndRejectsNonHex() {
        let bytes: [UInt8] = [0x00, 0x0f, 0xa0, 0xff]
        #expect(Hex.encode(bytes) == "000fa0ff")
        #expect(Hex.decode("000FA0ff") == bytes)
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.decode("") == [])
    }

    @Test(arguments: 0...40)
    func base64URLIsBase64WithTheURLAlphabetAndNoPadding(length: Int) throws {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 250) }
        let encoded = Base64URL.encode(bytes)
        #expect(!encoded.contains("=") && !encoded.contains("+") && !encoded.contains("/"))
        #expect(Base64URL.decode(encoded) == bytes)
        let expected = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        #expect(Base64URL.decode(expected) == bytes)
    }

    @Test func base64URLRejectsStandardAlphabetAndImpossibleLengths() {
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8")
        #expect(Base64URL.decode("-_8") == [0xfb, 0xff])
        #expect(Base64URL.decode("+/8") == nil)
        #expect(Base64URL.decode("abcde") == nil)
        #expect(Base64URL.decode("a b") == nil)
    }

    @Test func randomBytesHaveTheRequestedLengthAndDiffer() throws {
        #expect(try SecureRandom.bytes(0).isEmpty)
        let a = try SecureRandom.bytes(32), b = try SecureRandom.bytes(32)
        #expect(a.count == 32 && a != b)
        // 4096 random bytes hit (nearly) every byte value; an all-zero or stuck generator would not.
        #expect(Set(try SecureRandom.bytes(4096)).count > 240)
    }

    @Test func tokensAre43URLSafeCharactersAndUnique() throws {
        let tokens = try (0..<200).map { _ in try SecureRandom.token() }
        #expect(Set(tokens).count == 200)
        for token in tokens {
            #expect(token.count == 43)
            #expect(Base64URL.decode(token)?.count == 32)
        }
        #expect(try SecureRandom.token(byteCount: 16).count == 22)
    }

    @Test func errorsHaveStableSnakeCaseCodes() {
        let all: [CryptoError] = [.authenticationFailed, .invalidKeyLength(expected: 32, actual: 1), .invalidNonceLength(0),
                                  .malformedCiphertext("x"), .unknownKeyID("k"), .invalidKeyID("x"), .invalidPublicKey("x"),
                                  .keyTooSmall(bits: 1024, minimum: 2048), .masterKeyMissing("x"), .masterKeyInvalid("x"),
                                  .masterKeyUnreadable("x"), .masterKeyConflict, .randomFailure, .openSSL(operation: "x")]
        for error in all {
            #expect(error.code.allSatisfy { $0.isLowercase || $0 == "_" })
            #expect(error.description.hasPrefix(error.code + ": "))
        }
        #expect(CryptoError.authenticationFailed.code == "authentication_failed")
        #expect(CryptoError.keyTooSmall(bits: 1, minimum: 2).code == "key_too_small")
    }
}
