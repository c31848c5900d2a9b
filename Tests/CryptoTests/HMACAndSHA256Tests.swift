import Foundation
import Testing
@testable import Crypto

struct MACVector: Sendable, CustomTestStringConvertible {
    let name: String, key: [UInt8], data: [UInt8], mac: String
    var testDescription: String { name }
}

private func repeated(_ byte: UInt8, _ n: Int) -> [UInt8] { [UInt8](repeating: byte, count: n) }
private let key25 = (1...25).map { UInt8($0) }

/// RFC 4231 §4 test cases 1–4, 6, 7 (5 is a truncated-output case).
let rfc4231: [MACVector] = [
    MACVector(name: "RFC 4231 case 1", key: repeated(0x0b, 20), data: utf8("Hi There"),
              mac: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
    MACVector(name: "RFC 4231 case 2", key: utf8("Jefe"), data: utf8("what do ya want for nothing?"),
              mac: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
    MACVector(name: "RFC 4231 case 3", key: repeated(0xaa, 20), data: repeated(0xdd, 50),
              mac: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
    MACVector(name: "RFC 4231 case 4", key: key25, data: repeated(0xcd, 50),
              mac: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
    MACVector(name: "RFC 4231 case 6", key: repeated(0xaa, 131),
              data: utf8("Test Using Larger Than Block-Size Key - Hash Key First"),
              mac: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    MACVector(name: "RFC 4231 case 7", key: repeated(0xaa, 131),
              data: utf8("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
              mac: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
]

/// RFC 2202 §3 test cases 1–7 (case 5's full 160-bit output).
let rfc2202: [MACVector] = [
    MACVector(name: "RFC 2202 case 1", key: repeated(0x0b, 20), data: utf8("Hi There"),
              mac: "b617318655057264e28bc0b6fb378c8ef146be00"),
    MACVector(name: "RFC 2202 case 2", key: utf8("Jefe"), data: utf8("what do ya want for nothing?"),
              mac: "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
    MACVector(name: "RFC 2202 case 3", key: repeated(0xaa, 20), data: repeated(0xdd, 50),
              mac: "125d7342b9ac11cd91a39af48aa17b4f63f175d3"),
    MACVector(name: "RFC 2202 case 4", key: key25, data: repeated(0xcd, 50),
              mac: "4c9007f4026250c6bc8414f9bf50c86c2d7235da"),
    MACVector(name: "RFC 2202 case 5", key: repeated(0x0c, 20), data: utf8("Test With Truncation"),
              mac: "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"),
    MACVector(name: "RFC 2202 case 6", key: repeated(0xaa, 80),
              data: utf8("Test Using Larger Than Block-Size Key - Hash Key First"),
              mac: "aa4ae5e15272d00e95705637ce8a3b55ed402112"),
    MACVector(name: "RFC 2202 case 7", key: repeated(0xaa, 80),
              data: utf8("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"),
              mac: "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"),
]

@Suite struct HMACTests {
    @Test(arguments: rfc4231)
    func hmacSHA256MatchesRFC4231(_ v: MACVector) {
        #expect(Hex.encode(HMAC.sha256(key: v.key, data: v.data)) == v.mac)
        #expect(Hex.encode(HMAC.sha256(key: Data(v.key), data: Data(v.data))) == v.mac)
    }

    @Test(arguments: rfc2202)
    func hmacSHA1MatchesRFC2202(_ v: MACVector) {
        #expect(Hex.encode(HMAC.sha1(key: v.key, data: v.data)) == v.mac)
    }

    @Test func stringOverloadsMACTheUTF8Bytes() {
        #expect(Hex.encode(HMAC.sha256(key: "Jefe", data: "what do ya want for nothing?"))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(Hex.encode(HMAC.sha1(key: "Jefe", data: "what do ya want for nothing?"))
                == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    }

    /// Python's hmac module is the independent reference for the edge cases RFCs do not cover.
    @Test func emptyKeyAndEmptyDataMatchPythonHMAC() throws {
        let script = """
        import hmac, hashlib, sys
        print(hmac.new(b"", b"", hashlib.sha256).hexdigest())
        print(hmac.new(b"", b"data", hashlib.sha256).hexdigest())
        print(hmac.new(b"key", b"", hashlib.sha1).hexdigest())
        """
        let lines = String(decoding: try run("python3", ["-c", script]), as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines == [
            Hex.encode(HMAC.sha256(key: [UInt8](), data: [UInt8]())),
            Hex.encode(HMAC.sha256(key: [UInt8](), data: utf8("data"))),
            Hex.encode(HMAC.sha1(key: utf8("key"), data: [UInt8]())),
        ])
    }
}

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256MatchesFIPS180KnownAnswers(input: String, digest: String) {
        #expect(SHA256.hexDigest(input) == digest)
        #expect(Hex.encode(SHA256.hash(Data(input.utf8))) == digest)
    }

    @Test func sha256OfOneMillionAsMatchesFIPS180() {
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hexDigest(input) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
