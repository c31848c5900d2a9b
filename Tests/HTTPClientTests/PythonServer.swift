import Foundation
import Testing

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
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs blocking work (libcurl transfers, process start-up) on a thread of its own, never on
/// Swift's cooperative pool.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}

/// Files the tests write once per process: the server script, a self-signed certificate.
enum TestFiles {
    private static let directory: Result<URL, TestSetupError> = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("mlc-httpclient-tests-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return .success(url)
        } catch {
            return .failure(TestSetupError("cannot create \(url.path): \(error)"))
        }
    }()

    private static let scriptPath: Result<String, TestSetupError> = directory.flatMap { dir in
        let path = dir.appendingPathComponent("test_server.py").path
        do {
            try testServerScript.write(toFile: path, atomically: true, encoding: .utf8)
            return .success(path)
        } catch {
            return .failure(TestSetupError("cannot write \(path): \(error)"))
        }
    }

    static func script() throws -> String { try scriptPath.get() }

    static func directoryURL() throws -> URL { try directory.get() }

    /// Writes a file into the test directory and returns its path.
    static func write(_ name: String, _ text: String) throws -> String {
        let path = try directoryURL().appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// Runs a command to completion, returning its exit status and combined output.
func runCommand(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
