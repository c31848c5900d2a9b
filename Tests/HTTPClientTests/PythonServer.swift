import Foundation
import TestSupport

/// A Python test server in a child process, bound to 127.0.0.1 on an ephemeral port. The script
/// prints the port on its first line; the process is terminated by `stop()` (or on deinit).
final class PythonServer: @unchecked Sendable {
    let port: Int
    private let process: Process
    private let stdin: Pipe

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts the server on a thread of its own (process start-up blocks).
    static func start(_ mode: String, _ arguments: [String] = [], python: String = "python3",
                      environment: [String: String] = [:]) async throws -> PythonServer {
        try await onOwnThread { try PythonServer(mode, arguments, python: python, environment: environment) }
    }

    private init(_ mode: String, _ arguments: [String], python: String, environment: [String: String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-u", try TestFiles.script(), mode] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdout = Pipe()
        process.standardOutput = stdout
        // The server exits when this pipe closes, so no server outlives the test process.
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        self.process = process
        self.stdin = stdin

        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let text = String(data: line, encoding: .utf8),
              let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            throw TestSetupError("the \(mode) test server did not start (printed \(String(decoding: line, as: UTF8.self).debugDescription))")
        }
        self.port = port
    }

    func stop() {
        // SIGKILL: the test process may block SIGTERM, and children inherit that mask.
        if process.isRunning { process.killAndReap() }
    }

    deinit { stop() }
}
