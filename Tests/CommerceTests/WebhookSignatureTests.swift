import Commerce
import Crypto
import Foundation
import TestSupport
import Testing
@testable import Simulators

/// Independent checks: payloads signed by Python `cryptography` and by `openssl dgst` verify;
/// one flipped byte in the body or the signature does not.
@Suite struct WebhookSignatureTests {
    static let body = Array(#"{"eventName":"sales_order_place_before","data":{"order":{"increment_id":"000000042","customer_email":"a\/b@example.com"}}}"#.utf8)

    static let pythonSign = #"""
import base64, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
body = sys.stdin.buffer.read()
sig = key.sign(base64.b64encode(body), padding.PKCS1v15(), hashes.SHA256())
print(key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode().replace("\n", "|"))
print(base64.b64encode(sig).decode())
"""#

    func expectVerifies(pem: String, signature: String) throws {
        let key = try RSAPublicKey(pem: pem)
        try CommerceWebhookSignature.verify(body: Self.body, signature: signature, publicKey: key)
        var flippedBody = Self.body
        flippedBody[10] ^= 0x01
        #expect(throws: CommerceWebhookError.invalidSignature) {
            try CommerceWebhookSignature.verify(body: flippedBody, signature: signature, publicKey: key)
        }
        var raw = try #require(Data(base64Encoded: signature))
        raw[raw.count / 2] ^= 0x01
        #expect(throws: CommerceWebhookError.invalidSignature) {
            try CommerceWebhookSignature.verify(body: Self.body, signature: raw.base64EncodedString(), publicKey: key)
        }
    }

    @Test func pythonCryptographySignaturesVerify() throws {
        let out = try PythonVenv.script(Self.pythonSign, stdin: String(decoding: Self.body, as: UTF8.self))
        let lines = out.split(separator: "\n").map(String.init)
        try #require(lines.count == 2)
        try expectVerifies(pem: lines[0].replacingOccurrences(of: "|", with: "\n"), signature: lines[1])
    }

    @Test func opensslCommandLineSignaturesVerify() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("whsig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("key.pem").path, pub = dir.appendingPathComponent("pub.pem").path
        let msg = dir.appendingPathComponent("msg").path, sig = dir.appendingPathComponent("sig").path
        try Data(Data(Self.body).base64EncodedString().utf8).write(to: URL(fileURLWithPath: msg))
        for args in [["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key],
                     ["pkey", "-in", key, "-pubout", "-out", pub],
                     ["dgst", "-sha256", "-sign", key, "-out", sig, msg]] {
            let result = try runCommand("/usr/bin/openssl", args)
            try #require(result.status == 0, "openssl \(args[0]): \(result.stderr)")
        }
        let signature = try Data(contentsOf: URL(fileURLWithPath: sig)).base64EncodedString()
        try expectVerifies(pem: String(contentsOfFile: pub, encoding: .utf8), signature: signature)
    }

    @Test func theSimulatorSignsLikeCommerce() throws {
        let signer = try RSASigner()
        try expectVerifies(pem: signer.publicKeyPEM, signature: signer.webhookSignature(body: Self.body))
        // And its key round-trips through PEM (the CLI persists it).
        let reloaded = try RSASigner(privateKeyPEM: signer.privateKeyPEM)
        #expect(reloaded.publicKeyPEM == signer.publicKeyPEM)
    }

    @Test func missingOrNonBase64SignaturesAreDistinct() throws {
        let key = try RSAPublicKey(pem: RSASigner().publicKeyPEM)
        #expect(throws: CommerceWebhookError.missingSignature) {
            try CommerceWebhookSignature.verify(body: Self.body, signature: nil, publicKey: key)
        }
        #expect(throws: CommerceWebhookError.malformedSignature) {
            try CommerceWebhookSignature.verify(body: Self.body, signature: "not base64!!", publicKey: key)
        }
    }
}
