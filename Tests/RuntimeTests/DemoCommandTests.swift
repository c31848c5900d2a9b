import Foundation
import TestSupport
import Glibc
import Testing
import TestSupport

/// `ml-connector demo` as a newcomer runs it: the real executable with its embedded PostgreSQL and
/// both simulators, until the summary, then SIGTERM.
@Suite(.serialized) struct DemoCommandTests {
    static let executable: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent(".build/debug/ml-connector")
    }()

    @Test func theDemoPrintsWhereEveryOrderLandedAndStopsCleanlyOnSIGTERM() async throws {
        let (output, status) = try await onThread { () -> (String, Int32) in
            let home = "/tmp/mlc-demo-test-\(getpid())"
            try? FileManager.default.removeItem(atPath: home)
            let log = URL(fileURLWithPath: home + ".log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let process = Process()
            process.executableURL = Self.executable
            process.arguments = ["demo", "--home", home, "--port", "0", "--items", "60", "--customers", "8", "--timeout", "120"]
            process.currentDirectoryURL = Self.executable.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            var env = ProcessInfo.processInfo.environment
            env.removeValue(forKey: "DATABASE_URL")
            process.environment = env
            // A file, not a pipe: the embedded PostgreSQL would inherit a pipe and keep it open.
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let read = { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
            let deadline = Date().addingTimeInterval(300)
            while Date() < deadline && process.isRunning && !read().contains("demo summary printed") { usleep(200_000) }
            kill(process.processIdentifier, SIGTERM)
            let stopBy = Date().addingTimeInterval(60)
            while process.isRunning && Date() < stopBy { usleep(50_000) }
            let status = process.waitForExit(timeout: 10)
            try? FileManager.default.removeItem(atPath: home)
            return (read(), status)
        }
        #expect(output.contains("demo summary printed"), "\(output)")
        #expect(output.contains("Items → Commerce products:     60 synced"))
        #expect(output.contains("GP holds 4 receivables invoice(s) for 6 orders"))
        #expect(output.contains("needs_attention: GP customer HOLDCO0001 is on hold"))
        #expect(output.contains("recorded as arriving by poll"))
        #expect(output.contains("Admin token (shown once): mlc_"))
        #expect(status == 0)
        // An orderly stop: every listener ends before the embedded database does.
        #expect(!output.contains("cannot reconnect"), "\(output.suffix(2000))")
    }
}
