import Foundation
import Postgres
import TestSupport

/// A PostgreSQL 15 cluster of its own for the queue tests (started once per test process): the
/// restart test needs to stop and start the server under running workers, which a shared server
/// must not do. Runs as the `postgres` user when the tests run as root (PostgreSQL refuses root).
final class TestCluster: @unchecked Sendable {
    static let shared: TestCluster = {
        do { return try TestCluster() } catch { fatalError("cannot start the test PostgreSQL: \(error)") }
    }()

    let server: EmbeddedPostgres

    private init() throws {
        let home = "/tmp/mlc-queuetests-\(getpid())"
        try? FileManager.default.removeItem(atPath: home)
        server = EmbeddedPostgres(home: home, options: EmbeddedPostgres.Options(
            database: "postgres", port: Int.random(in: 20_000...50_000), durable: false,
            settings: ["max_connections": "300"]))
        try server.start()
        clusterForExit = self
        atexit {
            clusterForExit?.server.stop()
            if let home = clusterForExit?.server.home { try? FileManager.default.removeItem(atPath: home) }
        }
    }

    /// Stops the server (fast: connections are dropped) and starts it again.
    func restart() throws {
        server.stop()
        try server.start()
    }

    func conninfo(database: String) -> String { server.conninfo(database: database) }

    /// A fresh database with the queue schema and the tables the test handlers write to.
    func freshDatabase(_ prefix: String) throws -> String {
        let name = "\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
        let admin = try Connection(conninfo(database: "postgres"))
        try admin.executeScript("CREATE DATABASE \(name)")
        let conn = try Connection(conninfo(database: name))
        let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Schema/002_queue.sql")
        try conn.executeScript(try String(contentsOf: schema, encoding: .utf8))
        try conn.executeScript("""
            CREATE TABLE queue_test_effects (job_id bigint NOT NULL, attempt int NOT NULL, worker text);
            CREATE TABLE queue_test_gauge (running int NOT NULL, peak int NOT NULL);
            INSERT INTO queue_test_gauge VALUES (0, 0);
            """)
        return conninfo(database: name)
    }
}

nonisolated(unsafe) private var clusterForExit: TestCluster?

/// Polls `condition` every 50 ms until it holds or `seconds` pass; returns whether it held.
func eventually(within seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return try condition()
}

/// Runs `body` on `count` threads released together, and waits for all of them.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let start = NSCondition()
    let done = DispatchGroup()
    nonisolated(unsafe) var go = false
    for index in 0..<count {
        done.enter()
        Thread {
            start.lock()
            while !go { start.wait() }
            start.unlock()
            body(index)
            done.leave()
        }.start()
    }
    Thread.sleep(forTimeInterval: 0.1)
    start.lock()
    go = true
    start.broadcast()
    start.unlock()
    done.wait()
}

/// The `queue-test-worker` binary built next to the test bundle.
func testWorkerBinary() -> URL {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidates = [
        here.appendingPathComponent("queue-test-worker"),
        here.deletingLastPathComponent().appendingPathComponent("queue-test-worker"),
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/queue-test-worker"),
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[2]
}

/// Starts a worker process; its stdout is read until it says "ready".
func startWorkerProcess(conninfo: String, threads: Int, lease: Double) throws -> Process {
    let process = Process()
    process.executableURL = testWorkerBinary()
    process.arguments = [conninfo, String(threads), String(lease)]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.standardError
    try process.run()
    let line = readFirstLine(output) ?? ""
    guard line.hasPrefix("ready") else {
        process.killAndReap()
        throw QueueTestError("worker process did not start: \(line)")
    }
    return process
}

struct QueueTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
