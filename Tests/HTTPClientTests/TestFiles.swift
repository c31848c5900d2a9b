import Foundation
import TestSupport

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
    let status = process.waitForExit()
    return (status, String(decoding: data, as: UTF8.self))
}
