import Foundation
import TestSupport

/// Runs independent Python implementations (oauthlib, cryptography) from the repository's
/// `.venv`, whose pinned packages come from `scripts/requirements-test.txt`.
enum Python {
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The venv's interpreter, created through `scripts/test-python-deps.sh` when that exists.
    static func interpreter() throws -> String {
        let setup = root.appendingPathComponent("scripts/test-python-deps.sh").path
        if FileManager.default.isExecutableFile(atPath: setup) {
            let (status, out, err) = try run("/bin/bash", [setup], stdin: "")
            guard status == 0 else { throw Unavailable(description: "test-python-deps.sh failed: \(err)") }
            return out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last.map(String.init) ?? ""
        }
        let python = root.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Unavailable(description: "no .venv: python3 -m venv .venv && .venv/bin/pip install -r scripts/requirements-test.txt")
        }
        return python
    }

    /// Runs `script` with `arguments`, feeding `stdin`; returns stdout, throws on a non-zero exit.
    static func script(_ script: String, _ arguments: [String] = [], stdin: String = "") throws -> String {
        let (status, out, err) = try run(try interpreter(), ["-c", script] + arguments, stdin: stdin)
        guard status == 0 else { throw Unavailable(description: "python failed (\(status)): \(err)") }
        return out
    }

    static func run(_ executable: String, _ arguments: [String], stdin: String) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // stderr goes to a file so a chatty child can never block on a full pipe while we read stdout.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("py-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let status = process.waitForExit()
        let err = (try? Data(contentsOf: errorFile)) ?? Data()
        return (status, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
