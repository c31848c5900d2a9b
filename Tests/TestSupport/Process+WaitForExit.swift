import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Process {
    /// Waits for the child to end and returns its exit status (128 + signal number when killed).
    ///
    /// Foundation's `waitUntilExit()` spins a run loop until Foundation itself notices the exit;
    /// with many children started at once from the test process it was seen to miss one and spin
    /// forever on a cooperative thread, starving every other test. This reaps the child directly
    /// with `waitpid(WNOHANG)`, and after `timeout` seconds kills it (SIGKILL) and returns -1;
    /// -2 when Foundation reaped it but never reported its status.
    @discardableResult
    public func waitForExit(timeout: Double = 120) -> Int32 {
        let pid = processIdentifier
        var deadline = Date().addingTimeInterval(timeout)
        var killed = false
        var goneSince: Date?
        while true {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid {
                let signal = status & 0x7f
                return killed ? -1 : (signal == 0 ? (status >> 8) & 0xff : 128 + signal)
            }
            if reaped < 0 && errno == ECHILD {
                // Foundation reaped it first: the child is gone. Its status is known only once
                // Foundation has noticed, which it sometimes never does; don't wait for that long.
                if !isRunning { return killed ? -1 : terminationStatus }
                if let since = goneSince, Date().timeIntervalSince(since) > 2 { return -2 }
                if goneSince == nil { goneSince = Date() }
            }
            if Date() >= deadline {
                if killed { return -1 }
                kill(pid, SIGKILL)
                killed = true
                deadline = Date().addingTimeInterval(10)
            }
            usleep(5_000)
        }
    }

    /// SIGKILL (a test process may block SIGTERM, and children inherit that mask), then reap.
    public func killAndReap() {
        guard processIdentifier > 0 else { return }
        kill(processIdentifier, SIGKILL)
        waitForExit(timeout: 10)
    }
}
