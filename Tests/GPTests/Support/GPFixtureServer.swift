import Foundation
import TestSupport
import Testing

/// The GP-shaped Python server (`gpFixtureServerScript`) in a child process on an ephemeral
/// loopback port; stopped on `stop()` or deinit.
final class GPFixtureServer: @unchecked Sendable {
    let port: Int
    private let process: Process

    static func start(_ mode: String, _ arguments: [String] = [], python: String = "python3",
                      environment: [String: String] = [:]) async throws -> GPFixtureServer {
        try await onThread { try GPFixtureServer(mode, arguments, python: python, environment: environment) }
    }

    private init(_ mode: String, _ arguments: [String], python: String, environment: [String: String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-u", try GPTestFiles.write("gp_fixture_server.py", gpFixtureServerScript), mode] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        self.process = process
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.killAndReap()
            throw GPTestSetupError("the \(mode) fixture server did not start")
        }
        self.port = port
    }

    /// SIGKILL: the child may have inherited a mask blocking SIGTERM from the test's threads.
    func stop() {
        if process.isRunning { process.killAndReap() }
    }

    deinit { stop() }
}

struct GPTestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Files written once per test process: the fixture script, self-signed certificates.
enum GPTestFiles {
    static let directory: URL = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("mlc-gp-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    static func write(_ name: String, _ text: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Made once per process: concurrent tests must not rewrite a certificate a server is using.
    static let serverCertificate = Result { try selfSigned("gp-server") }
    static let unrelatedCertificate = Result { try selfSigned("gp-unrelated") }

    /// A self-signed certificate for localhost / 127.0.0.1 made with the openssl CLI.
    static func selfSigned(_ name: String) throws -> (cert: String, key: String, pem: String) {
        let cert = directory.appendingPathComponent("\(name)-cert.pem").path
        let key = directory.appendingPathComponent("\(name)-key.pem").path
        let (status, output) = try run("/usr/bin/env", [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ])
        guard status == 0 else { throw GPTestSetupError("openssl failed: \(output)") }
        return (cert, key, try String(contentsOfFile: cert, encoding: .utf8))
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (Int32, String) {
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

    /// The repository's Python test venv (scripts/test-python-deps.sh, with pyspnego), or nil.
    static let venvPython: Result<String, GPTestSetupError> = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        do {
            let (status, output) = try run("/bin/bash", ["\(root)/scripts/test-python-deps.sh"])
            let last = output.split(separator: "\n").last.map(String.init) ?? ""
            guard status == 0, FileManager.default.isExecutableFile(atPath: last) else {
                return .failure(GPTestSetupError("scripts/test-python-deps.sh failed (\(status)): \(output)"))
            }
            return .success(last)
        } catch {
            return .failure(GPTestSetupError("cannot run scripts/test-python-deps.sh: \(error)"))
        }
    }()
}
