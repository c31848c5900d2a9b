import Foundation
import TestSupport
import Testing

/// The test kit's process helpers never wait for a descriptor some other process inherited: a
/// child that leaves a grandchild behind (as a sibling test server inherits a pipe's write end
/// under Foundation's `Process`) does not stall the caller. This hung CI for 90 minutes once.
@Suite struct RunCommandTests {
    @Test func runCommandReturnsWhenTheCommandExitsEvenIfAGrandchildKeepsItsOutputOpen() async throws {
        let marker = "299.\(Int.random(in: 100...999))"
        defer { _ = try? runCommand("/usr/bin/pkill", ["-f", "sleep \(marker)"]) }
        let finished = try await onThread { () -> (CommandResult?, Bool) in
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var result: CommandResult?
            Thread {
                result = try? runCommand("/bin/sh", ["-c", "sleep \(marker) & echo started"], timeout: 60)
                done.signal()
            }.start()
            let inTime = done.wait(timeout: .now() + 30) == .success
            return (result, inTime)
        }
        #expect(finished.1, "runCommand waited for the grandchild")
        #expect(finished.0?.status == 0)
        #expect(finished.0?.stdout == "started\n")
    }

    @Test func readFirstLineGivesUpAtItsTimeoutWhenTheChildSaysNothing() async throws {
        let line = try await onThread { () -> String? in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sleep")
            process.arguments = ["30"]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            defer { process.killAndReap() }
            return readFirstLine(out, timeout: 0.5)
        }
        #expect(line == nil)
    }
}
