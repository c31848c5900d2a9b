import Foundation
import TestSupport
@testable import Crypto

/// Hex literal → bytes for test vectors; traps on a typo in the test itself.
func hex(_ s: String) -> [UInt8] {
    guard let bytes = Hex.decode(s.filter { !$0.isWhitespace }) else { fatalError("bad hex in test: \(s)") }
    return bytes
}

func utf8(_ s: String) -> [UInt8] { Array(s.utf8) }

/// A fresh private temporary directory, removed by the caller's `defer`.
func makeTempDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("mlc-crypto-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

struct ProcessFailure: Error, CustomStringConvertible {
    let command: String
    let status: Int32
    let stderr: String
    var description: String { "\(command) exited \(status): \(stderr)" }
}

/// Runs an external program (openssl, python3) to completion; throws on a non-zero exit.
@discardableResult
func run(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws -> Data {
    let result = try runCommand("/usr/bin/env", [executable] + arguments, in: directory)
    guard result.status == 0 else {
        throw ProcessFailure(command: ([executable] + arguments).joined(separator: " "), status: result.status, stderr: result.stderr)
    }
    return result.stdoutData
}

func readText(_ url: URL) throws -> String {
    String(decoding: try Data(contentsOf: url), as: UTF8.self)
}

let pythonCryptographyAvailable: Bool = {
    (try? run("python3", ["-c", "import cryptography"])) != nil
}()
