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

/// Runs an external program (openssl, python3) to completion; throws on a non-zero exit. stderr
/// goes to a file, so a chatty child can never block on a full pipe while stdout is read.
@discardableResult
func run(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    if let directory { process.currentDirectoryURL = directory }
    let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("mlc-crypto-\(UUID().uuidString).err")
    FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: errorFile) }
    let out = Pipe()
    process.standardOutput = out
    process.standardError = try FileHandle(forWritingTo: errorFile)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let status = process.waitForExit()
    guard status == 0 else {
        throw ProcessFailure(command: ([executable] + arguments).joined(separator: " "),
                             status: status,
                             stderr: String(decoding: (try? Data(contentsOf: errorFile)) ?? Data(), as: UTF8.self))
    }
    return outData
}

func readText(_ url: URL) throws -> String {
    String(decoding: try Data(contentsOf: url), as: UTF8.self)
}

let pythonCryptographyAvailable: Bool = {
    (try? run("python3", ["-c", "import cryptography"])) != nil
}()
