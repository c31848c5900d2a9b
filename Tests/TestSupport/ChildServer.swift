import Foundation

/// A test server in a child process (a Python script, usually): it binds 127.0.0.1 on an
/// ephemeral port and prints the port on its first stdout line. It is killed on `stop()` or
/// deinit; its stdin is a pipe from us, so a script that exits on EOF never outlives the tests.
public final class ChildServer: @unchecked Sendable {
    public let port: Int
    private let process: Process
    private let stdin: Pipe

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts the server on a thread of its own (process start-up blocks).
    public static func start(_ executable: String, _ arguments: [String],
                             environment: [String: String] = [:]) async throws -> ChildServer {
        try await onThread { try ChildServer(executable, arguments, environment: environment) }
    }

    private init(_ executable: String, _ arguments: [String], environment: [String: String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdout = Pipe()
        process.standardOutput = stdout
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        self.process = process
        self.stdin = stdin
        let line = readFirstLine(stdout) ?? ""
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.killAndReap()
            throw TestSetupError("\(([executable] + arguments).joined(separator: " ")) did not start (printed \(line.debugDescription))")
        }
        self.port = port
    }

    /// SIGKILL: the test process may block SIGTERM, and children inherit that mask.
    public func stop() {
        if process.isRunning { process.killAndReap() }
    }

    deinit { stop() }
}
