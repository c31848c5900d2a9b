import Foundation

/// What a finished command printed, and how it ended.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// stdout then stderr, for error messages.
    public var output: String { stdout + stderr }
}

/// Runs a command to completion, feeding `stdin`. stderr goes to a file, so a chatty child can
/// never block on a full pipe while stdout is read.
public func runCommand(_ executable: String, _ arguments: [String], stdin: String = "") throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("mlc-cmd-\(UUID().uuidString).err")
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
    return CommandResult(status: status, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
}
