import Foundation

/// Runs blocking work (libpq, libcurl, sockets, process start-up) on a thread of its own, never
/// on Swift's cooperative pool: this machine has two cooperative threads, and one blocked test
/// would stall every other.
public func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        thread.stackSize = 4 << 20
        thread.start()
    }
}

/// A test could not set up what it needs (a file, a child process, a certificate).
public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
