import Foundation
@testable import Crypto

/// Keys made once per test process by the `openssl` command line, an implementation
/// independent of our Swift code, in a private temporary directory.
struct RSAFixture: Sendable {
    let directory: URL
    let privateKeyPath: URL
    let privateKeyPEM: String
    let publicSPKI: String
    let publicPKCS1: String
    let otherPrivateKeyPath: URL
    let rsa1024Public: String
    let rsa3072Public: String
    let ecPublic: String
    let ed25519Public: String
    let rsaPSSPublic: String
    let certificate: String

    struct SetupFailure: Error, CustomStringConvertible { let description: String }

    static let shared: Result<RSAFixture, SetupFailure> = {
        do { return .success(try RSAFixture()) } catch { return .failure(SetupFailure(description: "\(error)")) }
    }()

    static func get() throws -> RSAFixture { try shared.get() }

    /// One directory per test process, removed at exit so no test private key outlives the run.
    private static var directoryForThisProcess: URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("mlc-crypto-rsa-\(getpid())")
    }

    private init() throws {
        directory = Self.directoryForThisProcess
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: RSAFixture.directoryForThisProcess) }
        let d = directory
        func path(_ name: String) -> URL { d.appendingPathComponent(name) }
        func genpkey(_ out: String, _ args: [String]) throws {
            try run("openssl", ["genpkey"] + args + ["-out", path(out).path])
        }
        func pubout(_ key: String, _ out: String) throws -> String {
            try run("openssl", ["pkey", "-in", path(key).path, "-pubout", "-out", path(out).path])
            return try readText(path(out))
        }
        try genpkey("rsa2048.pem", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"])
        try genpkey("other2048.pem", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"])
        try genpkey("rsa1024.pem", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"])
        try genpkey("rsa3072.pem", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072"])
        try genpkey("ec.pem", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"])
        try genpkey("ed25519.pem", ["-algorithm", "ED25519"])
        try genpkey("pss.pem", ["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"])
        privateKeyPath = path("rsa2048.pem")
        privateKeyPEM = try readText(privateKeyPath)
        otherPrivateKeyPath = path("other2048.pem")
        publicSPKI = try pubout("rsa2048.pem", "rsa2048.pub.pem")
        try run("openssl", ["rsa", "-in", privateKeyPath.path, "-RSAPublicKey_out", "-out", path("rsa2048.pkcs1.pem").path])
        publicPKCS1 = try readText(path("rsa2048.pkcs1.pem"))
        rsa1024Public = try pubout("rsa1024.pem", "rsa1024.pub.pem")
        rsa3072Public = try pubout("rsa3072.pem", "rsa3072.pub.pem")
        ecPublic = try pubout("ec.pem", "ec.pub.pem")
        ed25519Public = try pubout("ed25519.pem", "ed25519.pub.pem")
        rsaPSSPublic = try pubout("pss.pem", "pss.pub.pem")
        try run("openssl", ["req", "-new", "-x509", "-key", privateKeyPath.path, "-subj", "/CN=test",
                            "-days", "1", "-out", path("cert.pem").path])
        certificate = try readText(path("cert.pem"))
    }

    /// `openssl dgst -sha256 -sign` (RSASSA-PKCS1-v1_5) over `message`.
    func opensslSign(_ message: [UInt8], key: URL? = nil) throws -> [UInt8] {
        let id = UUID().uuidString
        let input = directory.appendingPathComponent("msg-\(id)")
        let output = directory.appendingPathComponent("sig-\(id)")
        try Data(message).write(to: input)
        try run("openssl", ["dgst", "-sha256", "-sign", (key ?? privateKeyPath).path, "-out", output.path, input.path])
        return Array(try Data(contentsOf: output))
    }
}
