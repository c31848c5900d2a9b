import Foundation
import Testing
@testable import Crypto

private func key(_ byte: UInt8) throws -> MasterKey { try MasterKey(bytes: [UInt8](repeating: byte, count: 32)) }
private let passwordAAD = SealedSecret.aad(tenant: "acme", field: "gp.password")

@Suite struct SealedSecretTests {
    @Test func sealedSecretRoundTripsAndHasTheDocumentedLayout() throws {
        let k = try key(1)
        let ring = try Keyring(current: k)
        let blob = try ring.seal("hunter2 ✓", aad: passwordAAD)
        #expect(try ring.openString(blob, aad: passwordAAD) == "hunter2 ✓")

        let id = Array(k.id.utf8)
        #expect(blob[0] == 1)
        #expect(Int(blob[1]) == id.count)
        #expect(Array(blob[2..<(2 + id.count)]) == id)
        #expect(blob.count == 2 + id.count + 12 + "hunter2 ✓".utf8.count + 16)

        let parsed = try SealedSecret(parsing: blob)
        #expect(parsed.version == 1 && parsed.keyID == k.id && parsed.bytes == blob)
        #expect(parsed.nonce == Array(blob[(2 + id.count)..<(14 + id.count)]))
    }

    @Test func aadBindsTenantAndFieldInTheDocumentedForm() {
        #expect(SealedSecret.aad(tenant: "acme", field: "gp.password") == "tenant:acme|field:gp.password")
    }

    @Test func changingAnyByteOfTheBlobNeverYieldsPlaintext() throws {
        let ring = try Keyring(current: key(1), previous: [key(2)])
        let blob = try ring.seal("secret", aad: passwordAAD)
        for index in blob.indices {
            var tampered = blob
            tampered[index] ^= 0x01
            let error = #expect(throws: CryptoError.self) { try ring.open(tampered, aad: passwordAAD) }
            // Header bytes can turn into a malformed blob or an unknown key id; all else is authentication.
            #expect(["authentication_failed", "malformed_ciphertext", "unknown_key_id"].contains(error?.code ?? ""))
            if index >= 2 + ring.current.id.utf8.count {
                #expect(error == .authenticationFailed)
            }
        }
    }

    @Test func relabellingTheKeyIDToAnotherKnownKeyFailsAuthentication() throws {
        // Keys with ids of equal length so the relabelled blob still parses.
        let a = try MasterKey(bytes: [UInt8](repeating: 1, count: 32), id: "key-a")
        let b = try MasterKey(bytes: [UInt8](repeating: 1, count: 32), id: "key-b")
        let ring = try Keyring(current: a, previous: [b])
        var blob = try ring.seal("secret", aad: passwordAAD)
        blob[2 + 4] = UInt8(ascii: "b")
        // Same key bytes, but the header is authenticated, so the relabel is caught.
        #expect(throws: CryptoError.authenticationFailed) { try ring.open(blob, aad: passwordAAD) }
    }

    @Test func blobCopiedToAnotherTenantOrFieldFailsToOpen() throws {
        let ring = try Keyring(current: key(1))
        let blob = try ring.seal("secret", aad: passwordAAD)
        for aad in [SealedSecret.aad(tenant: "globex", field: "gp.password"),
                    SealedSecret.aad(tenant: "acme", field: "commerce.consumer_secret"),
                    SealedSecret.aad(tenant: "acme ", field: "gp.password"), ""] {
            #expect(throws: CryptoError.authenticationFailed) { try ring.open(blob, aad: aad) }
        }
    }

    @Test func blobSealedUnderAKeyTheRingDoesNotHoldReportsUnknownKeyID() throws {
        let sealer = try Keyring(current: key(1))
        let blob = try sealer.seal("secret", aad: passwordAAD)
        let other = try Keyring(current: key(2))
        #expect(throws: CryptoError.unknownKeyID(try key(1).id)) { try other.open(blob, aad: passwordAAD) }
    }

    @Test func wrongKeyBytesUnderTheSameIDFailAuthentication() throws {
        let sealer = try Keyring(current: MasterKey(bytes: [UInt8](repeating: 1, count: 32), id: "prod"))
        let impostor = try Keyring(current: MasterKey(bytes: [UInt8](repeating: 2, count: 32), id: "prod"))
        let blob = try sealer.seal("secret", aad: passwordAAD)
        #expect(throws: CryptoError.authenticationFailed) { try impostor.open(blob, aad: passwordAAD) }
    }

    @Test func malformedBlobsAreReportedAsMalformed() throws {
        let ring = try Keyring(current: key(1))
        let good = try ring.seal("x", aad: passwordAAD)
        let idLength = Int(good[1])
        for bad: [UInt8] in [[], [1], [2] + good.dropFirst(), [0] + good.dropFirst(), [1, 0] + good.dropFirst(2),
                             Array(good.prefix(2 + idLength + 27)), [1, 200, 0x61, 0x62]] {
            let error = #expect(throws: CryptoError.self) { try ring.open(bad, aad: passwordAAD) }
            #expect(error?.code == "malformed_ciphertext")
        }
    }

    @Test func rotationReadsOldSecretsAndWritesUnderTheNewKey() throws {
        let old = try key(1), new = try key(2)
        let before = try Keyring(current: old)
        let oldBlob = try before.seal("gp-password", aad: passwordAAD)

        let rotating = try Keyring(current: new, previous: [old])
        #expect(rotating.keyIDs == [new.id, old.id])
        #expect(try rotating.needsResealing(oldBlob))
        #expect(try rotating.openString(oldBlob, aad: passwordAAD) == "gp-password")

        let resealed = try rotating.reseal(oldBlob, aad: passwordAAD)
        #expect(try SealedSecret(parsing: resealed).keyID == new.id)
        #expect(try !rotating.needsResealing(resealed))
        #expect(try SealedSecret(parsing: rotating.seal("fresh", aad: passwordAAD)).keyID == new.id)

        // After rotation completes the old key is dropped: resealed data still opens, old data no longer.
        let after = try Keyring(current: new)
        #expect(try after.openString(resealed, aad: passwordAAD) == "gp-password")
        #expect(throws: CryptoError.unknownKeyID(old.id)) { try after.open(oldBlob, aad: passwordAAD) }
        // And reseal keeps the AAD binding.
        #expect(throws: CryptoError.authenticationFailed) { try after.open(resealed, aad: "tenant:other|field:gp.password") }
    }

    @Test func twoDifferentKeysWithOneIDAreRefusedInAKeyring() throws {
        let a = try MasterKey(bytes: [UInt8](repeating: 1, count: 32), id: "same")
        let b = try MasterKey(bytes: [UInt8](repeating: 2, count: 32), id: "same")
        #expect(throws: CryptoError.invalidKeyID("two different master keys share the id same")) {
            try Keyring(current: a, previous: [b])
        }
        #expect(try Keyring(current: a, previous: [a]).keyIDs == ["same"])
    }

    @Test func descriptionsAndErrorsNeverContainKeyBytesOrPlaintext() throws {
        let k = try MasterKey.generate()
        let ring = try Keyring(current: k)
        let blob = try ring.seal("TOPSECRETVALUE", aad: passwordAAD)
        var dumped = ""
        dump(k, to: &dumped)
        let texts = [String(describing: k), String(reflecting: k), dumped, String(describing: ring),
                     String(describing: try SealedSecret(parsing: blob))]
        let keyForms = [k.exportBase64(), Hex.encode(k.bytes), String(describing: k.bytes)]
        for text in texts {
            #expect(text.contains(k.id))
            for secret in keyForms + ["TOPSECRETVALUE"] { #expect(!text.contains(secret)) }
        }
        var wrong = blob
        wrong[wrong.count - 1] ^= 1
        let error = #expect(throws: CryptoError.self) { try ring.open(wrong, aad: passwordAAD) }
        #expect(!(error?.description.contains("TOPSECRET") ?? true))
    }
}
