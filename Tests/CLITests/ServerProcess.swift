import Foundation
import Glibc
import TestSupport

/// Runs the real `ml-connector` executable as a child process with its log in a file, the way an
/// operator would, and talks to it over a real socket.
final class ServerProcess {
    static let executable: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent(".build/debug/ml-connector")
    }()

    static var repositoryRoot: URL {
        executable.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    let process = Process()
    let logFile: URL

    init(_ arguments: [String], environment: [String: String] = [:], logName: String) throws {
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("mlc-cli-\(getpid())-\(logName).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        process.executableURL = Self.executable
        process.arguments = arguments
        process.currentDirectoryURL = Self.repositoryRoot
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DATABASE_URL")
        env.merge(environment) { $1 }
        process.environment = env
        // A file, not a pipe: the embedded PostgreSQL would inherit a pipe and keep it open.
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// The data folder the embedded PostgreSQL reported (it may move it for the service user).
    var embeddedDataDirectory: String? {
        for line in log.split(separator: "\n") where line.contains("\"msg\":\"embedded PostgreSQL started\"") {
            if let range = line.range(of: #""data":"[^"]+""#, options: .regularExpression) {
                return String(line[range].dropFirst(8).dropLast())
            }
        }
        return nil
    }

    /// Waits for the "listening" log line and returns the port it names.
    func waitForPort(timeout: TimeInterval = 90) throws -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            for line in log.split(separator: "\n") where line.contains("\"msg\":\"listening\"") {
                if let range = line.range(of: #""port":"?(\d+)"#, options: .regularExpression) {
                    let digits = line[range].filter(\.isNumber)
                    if let port = Int(digits) { return port }
                }
            }
            if !process.isRunning { throw CLITestError("server exited early (\(process.terminationStatus)):\n\(log)") }
            usleep(100_000)
        }
        throw CLITestError("no listening line within \(timeout)s:\n\(log)")
    }

    func terminate(signal sig: Int32 = SIGTERM, timeout: TimeInterval = 60) throws -> Int32 {
        kill(process.processIdentifier, sig)
        let status = process.waitForExit(timeout: timeout)
        if status == -1 { throw CLITestError("server did not stop within \(timeout)s:\n\(log)") }
        return status
    }

    /// Runs the executable to completion and returns its exit status and combined output.
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 120) throws -> (status: Int32, output: String) {
        let server = try ServerProcess(arguments, environment: environment, logName: "run-\(UUID().uuidString.prefix(8))")
        let status = server.process.waitForExit(timeout: timeout)
        if status == -1 { throw CLITestError("timed out: \(arguments)") }
        return (status, server.log)
    }
}

struct CLITestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A one-shot HTTP/1.1 GET over a fresh TCP connection; returns the status and body.
func httpGet(port: Int, path: String) throws -> (status: Int, body: String) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw CLITestError("socket failed") }
    defer { close(fd) }
    var tv = timeval(tv_sec: 30, tv_usec: 0)  // a server that never answers fails the test, not the run
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw CLITestError("connect to \(port) failed: errno \(errno)") }
    let request = "GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    _ = request.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    var data = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = recv(fd, &buffer, buffer.count, 0)
        if n <= 0 { break }
        data.append(contentsOf: buffer[0..<n])
    }
    let text = String(decoding: data, as: UTF8.self)
    guard let statusLine = text.split(separator: "\r\n").first,
          let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else {
        throw CLITestError("no HTTP response: \(text)")
    }
    let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
    return (status, body)
}

/// Processes whose command line names `needle` (for finding leftover PostgreSQL servers).
func processes(matching needle: String) -> [String] {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    return entries.compactMap { pid -> String? in
        guard Int(pid) != nil, let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
        let cmd = String(decoding: raw.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
        return cmd.contains(needle) ? "\(pid): \(cmd)" : nil
    }
}
