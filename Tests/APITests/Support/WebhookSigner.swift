import Foundation
import TestSupport

/// Signs Commerce webhook bodies the way Adobe Commerce does, with the `openssl` command line (an
/// implementation independent of ours): RSA-SHA256 PKCS#1 v1.5 over the base64 of the raw body.
/// The key pair is generated once per test process.
final class WebhookSigner: Sendable {
    static let shared = try! WebhookSigner()

    let directory: URL
    let publicKeyPEM: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mlc-webhook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = directory.appendingPathComponent("key.pem").path
        try Self.openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key])
        try Self.openssl(["pkey", "-in", key, "-pubout", "-out", directory.appendingPathComponent("pub.pem").path])
        publicKeyPEM = try String(contentsOf: directory.appendingPathComponent("pub.pem"), encoding: .utf8)
    }

    /// The `x-adobe-commerce-webhook-signature` value for `body`.
    func sign(_ body: String) throws -> String {
        let input = directory.appendingPathComponent("in-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: input) }
        try Data(Data(body.utf8).base64EncodedString().utf8).write(to: input)
        let output = directory.appendingPathComponent("sig-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        try Self.openssl(["dgst", "-sha256", "-sign", directory.appendingPathComponent("key.pem").path, "-out", output.path, input.path])
        return try Data(contentsOf: output).base64EncodedString()
    }

    /// The public key as a JSON string literal's content (newlines escaped).
    var publicKeyJSON: String { publicKeyPEM.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: "\\n") }

    /// Runs openssl to completion (output to files: a signature is binary).
    static func openssl(_ arguments: [String]) throws {
        let result = try runCommand("/usr/bin/openssl", arguments)
        guard result.status == 0 else { throw SignerError.openssl(arguments.first ?? "") }
    }

    enum SignerError: Error { case openssl(String) }
}
