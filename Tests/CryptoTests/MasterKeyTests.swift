import Foundation
import Testing
@testable import Crypto

private let keyBytes = (0..<32).map { UInt8($0) }
private let keyBase64 = Data(keyBytes).base64EncodedString()

private func permissions(_ url: URL) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

private func write(_ text: String, to url: URL, mode: Int) throws {
    try Data(text.utf8).write(to: url)
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
}

@Suite struct MasterKeyTests {
    @Test func keyIDIsTheFirstEightHexCharactersOfItsSHA256() throws {
        let key = try MasterKey(bytes: keyBytes)
        #expect(key.id == String(SHA256.hexDigest(keyBytes).prefix(8)))
        #expect(key.id.count == 8)
        #expect(try MasterKey.generate().id != key.id)
    }

    @Test func environmentKeyLoadsWhenItIsBase64OfExactly32Bytes() throws {
        let loaded = try MasterKey.load(environment: ["MLC_MASTER_KEY": " \(keyBase64)\n"], home: nil, createIfMissing: false)
        #expect(loaded.key.bytes == keyBytes)
        #expect(loaded.source == .environment)
        #expect(!loaded.created && loaded.warnings.isEmpty)
    }

    @Test(arguments: [
        Data(repeating: 7, count: 31).base64EncodedString(),
        Data(repeating: 7, count: 33).base64EncodedString(),
        "not base64 at all!",
        String(keyBase64.dropLast(2)),
        Hex.encode(keyBytes),
    ])
    func environmentKeyOfTheWrongShapeIsInvalidAndNotEchoed(_ value: String) {
        let error = #expect(throws: CryptoError.self) {
            try MasterKey.load(environment: ["MLC_MASTER_KEY": value], home: nil, createIfMissing: true)
        }
        #expect(error?.code == "master_key_invalid")
        #expect(error?.message.contains("MLC_MASTER_KEY") == true)
        #expect(!(error?.description.contains(value) ?? true))
    }

    @Test func nothingConfiguredAndNoHomeIsMissing() {
        let error = #expect(throws: CryptoError.self) {
            try MasterKey.load(environment: ["MLC_MASTER_KEY": ""], home: nil, createIfMissing: true)
        }
        #expect(error?.code == "master_key_missing")
    }

    @Test func bothVariablesSetIsAConflict() {
        #expect(throws: CryptoError.masterKeyConflict) {
            try MasterKey.load(environment: ["MLC_MASTER_KEY": keyBase64, "MLC_MASTER_KEY_FILE": "/x"], home: nil, createIfMissing: false)
        }
    }

    @Test func keyFileIsReadAndAGroupReadableFileOnlyWarns() throws {
        let dir = try makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("key")
        try write(keyBase64 + "\n", to: file, mode: 0o600)
        let strict = try MasterKey.load(environment: ["MLC_MASTER_KEY_FILE": file.path], home: nil, createIfMissing: false)
        #expect(strict.key.bytes == keyBytes && strict.source == .file(path: file.path) && strict.warnings.isEmpty)

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        let loose = try MasterKey.load(environment: ["MLC_MASTER_KEY_FILE": file.path], home: nil, createIfMissing: false)
        #expect(loose.key.bytes == keyBytes)
        #expect(loose.warnings.map(\.code) == ["master_key_file_permissions"])
        #expect(loose.warnings.first?.message.contains("644") == true)
    }

    @Test func missingOrBadKeyFileGivesAClearErrorWithThePathButNotTheContent() throws {
        let dir = try makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let absent = dir.appendingPathComponent("absent")
        let missing = #expect(throws: CryptoError.self) {
            try MasterKey.load(environment: ["MLC_MASTER_KEY_FILE": absent.path], home: nil, createIfMissing: true)
        }
        #expect(missing?.code == "master_key_missing")
        #expect(missing?.message.contains(absent.path) == true)

        let short = dir.appendingPathComponent("short")
        let shortValue = Data(repeating: 9, count: 16).base64EncodedString()
        try write(shortValue, to: short, mode: 0o600)
        let invalid = #expect(throws: CryptoError.self) {
            try MasterKey.load(environment: ["MLC_MASTER_KEY_FILE": short.path], home: nil, createIfMissing: true)
        }
        #expect(invalid?.code == "master_key_invalid")
        #expect(!(invalid?.description.contains(shortValue) ?? true))

        let directory = #expect(throws: CryptoError.self) {
            try MasterKey.load(environment: ["MLC_MASTER_KEY_FILE": dir.path], home: nil, createIfMissing: true)
        }
        #expect(directory?.code == "master_key_unreadable")
    }

    @Test func homeKeyIsCreatedOnceWithMode0600AndThenReused() throws {
        let dir = try makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let home = dir.appendingPathComponent("nested/home")
        let first = try MasterKey.load(environment: [:], home: home, createIfMissing: true)
        let file = home.appendingPathComponent("master.key")
        #expect(first.created)
        #expect(first.source == .generatedHomeFile(path: file.path))
        #expect(try permissions(file) == 0o600)
        #expect(try permissions(home) == 0o700)
        #expect(try MasterKey(base64: readText(file)).bytes == first.key.bytes)

        let second = try MasterKey.loadFromHome(home, createIfMissing: true)
        #expect(!second.created)
        #expect(second.source == .homeFile(path: file.path))
        #expect(second.key.id == first.key.id)
    }

    @Test func homeKeyIsNotCreatedWhenCreationIsNotAllowed() throws {
        let dir = try makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let error = #expect(throws: CryptoError.self) { try MasterKey.loadFromHome(dir, createIfMissing: false) }
        #expect(error?.code == "master_key_missing")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("master.key").path))
    }

    @Test func environmentTakesPrecedenceOverTheHomeFile() throws {
        let dir = try makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try MasterKey.loadFromHome(dir, createIfMissing: true)
        let loaded = try MasterKey.load(environment: ["MLC_MASTER_KEY": keyBase64], home: dir, createIfMissing: true)
        #expect(loaded.source == .environment && loaded.key.bytes == keyBytes)
    }

    @Test func previousKeysAreReadFromACommaSeparatedList() throws {
        let other = try MasterKey.generate()
        let keys = try MasterKey.previousKeys(environment: ["MLC_MASTER_KEY_PREVIOUS": "\(keyBase64), \(other.exportBase64())"])
        #expect(keys.map(\.id) == [try MasterKey(bytes: keyBytes).id, other.id])
        #expect(try MasterKey.previousKeys(environment: [:]).isEmpty)
        let error = #expect(throws: CryptoError.self) {
            try MasterKey.previousKeys(environment: ["MLC_MASTER_KEY_PREVIOUS": "\(keyBase64),short"])
        }
        #expect(error?.code == "master_key_invalid" && error?.message.contains("entry 2") == true)
    }

    @Test func masterKeyRejectsWrongLengthsAndBadIDs() {
        #expect(throws: CryptoError.invalidKeyLength(expected: 32, actual: 31)) { try MasterKey(bytes: [UInt8](repeating: 0, count: 31)) }
        #expect(throws: CryptoError.self) { try MasterKey(bytes: keyBytes, id: "") }
        #expect(throws: CryptoError.self) { try MasterKey(bytes: keyBytes, id: String(repeating: "x", count: 256)) }
    }
}
