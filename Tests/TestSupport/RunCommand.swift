import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a finished command printed, and how it ended.
public struct CommandResult: Sendable {
    public var status: Int32
    /// stdout as bytes (a signature or key may not be text).
    public var stdoutData: Data
    public var stderr: String
    public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    /// stdout then stderr, for error messages.
    public var output: String { stdout + stderr }
}

/// Runs a command to completion (killed after `timeout` seconds), feeding it `stdin`.
///
/// No pipes: stdin, stdout and stderr are files. Foundation's `Process` lets every child inherit
/// the parent's open descriptors, so a pipe's write end can end up in a long-lived sibling (a test
/// server started at the same moment by another test), and reading the pipe to end-of-file then
/// waits for that sibling to exit, for ever. A file has no end-of-file to wait for; the exit is
/// read with `waitpid`.
public func runCommand(_ executable: String, _ arguments: [String], stdin: String = "", in directory: URL? = nil,
                       timeout: Double = 120) throws -> CommandResult {
    try runCommand(executable, arguments, stdinData: Data(stdin.utf8), in: directory, timeout: timeout)
}

/// `runCommand` with binary stdin.
public func runCommand(_ executable: String, _ arguments: [String], stdinData: Data, in directory: URL? = nil,
                       timeout: Double = 120) throws -> CommandResult {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("mlc-cmd-\(UUID().uuidString)")
    let files = (in: base.appendingPathExtension("in"), out: base.appendingPathExtension("out"), err: base.appendingPathExtension("err"))
    try stdinData.write(to: files.in)
    FileManager.default.createFile(atPath: files.out.path, contents: nil)
    FileManager.default.createFile(atPath: files.err.path, contents: nil)
    defer { for file in [files.in, files.out, files.err] { try? FileManager.default.removeItem(at: file) } }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let handles = (in: try FileHandle(forReadingFrom: files.in), out: try FileHandle(forWritingTo: files.out),
                   err: try FileHandle(forWritingTo: files.err))
    defer { for handle in [handles.in, handles.out, handles.err] { try? handle.close() } }
    process.standardInput = handles.in
    process.standardOutput = handles.out
    process.standardError = handles.err
    try process.run()
    let status = process.waitForExit(timeout: timeout)
    return CommandResult(status: status, stdoutData: (try? Data(contentsOf: files.out)) ?? Data(),
                         stderr: String(decoding: (try? Data(contentsOf: files.err)) ?? Data(), as: UTF8.self))
}

/// The first line a child writes to `pipe`, waiting at most `timeout` seconds; nil when the child
/// closed it or said nothing in time. Never waits for end-of-file (see `runCommand`).
public func readFirstLine(_ pipe: Pipe, timeout: Double = 60) -> String? {
    let fd = pipe.fileHandleForReading.fileDescriptor
    let deadline = Date().addingTimeInterval(timeout)
    var line = [UInt8]()
    var byte: UInt8 = 0
    while Date() < deadline {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, Int32(max(1, min(1000, deadline.timeIntervalSinceNow * 1000))))
        if ready < 0 && errno == EINTR { continue }
        if ready <= 0 { continue }
        let n = read(fd, &byte, 1)
        if n <= 0 { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
        if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
        line.append(byte)
    }
    return nil
}
