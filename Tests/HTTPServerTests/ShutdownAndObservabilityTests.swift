import Foundation
import Glibc
import Logging
import Synchronization
import Testing
@testable import HTTPServer

@Suite struct ShutdownTests {
    @Test func shutdownFinishesInFlightRequestsAndClosesIdleConnections() throws {
        let started = DispatchSemaphore(value: 0)
        var router = Router()
        router.add(.GET, "/slow") { _ in
            started.signal()
            usleep(300_000)
            return .text("done")
        }
        router.add(.GET, "/hello") { _ in .text("hello") }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), router: router, logger: logger)
        try server.start()

        let idle = try RawClient(port: server.port)
        try idle.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try idle.readResponse().status == 200)

        let busy = try RawClient(port: server.port)
        try busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        started.wait() // the request is in flight when the stop begins

        let stopper = Thread { server.shutdown(timeout: .seconds(5)) }
        stopper.start()

        let reply = try busy.readResponse()
        #expect(reply.bodyText == "done", "the in-flight request completes")
        #expect(reply.header("Connection") == "close")
        #expect(idle.readUntilClosed()?.isEmpty == true, "the idle keep-alive connection is closed")
        #expect(busy.readUntilClosed() != nil)
        while !stopper.isFinished { usleep(10_000) }
        #expect(server.openConnections == 0)
        #expect(throws: (any Error).self) {
            let late = try RawClient(port: server.port)
            try late.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try late.readResponse()
        }
    }

    @Test func shutdownCutsRequestsStillRunningAtTheDeadline() throws {
        let started = DispatchSemaphore(value: 0)
        var router = Router()
        router.add(.GET, "/stuck") { _ in
            started.signal()
            usleep(8_000_000)
            return .text("late")
        }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), router: router, logger: logger)
        try server.start()
        let client = try RawClient(port: server.port)
        try client.send("GET /stuck HTTP/1.1\r\nHost: x\r\n\r\n")
        started.wait()
        let start = ContinuousClock.now
        server.shutdown(timeout: .milliseconds(200))
        // Far below the handler's 8 s, loose enough for an oversubscribed CI machine.
        #expect(ContinuousClock.now - start < .seconds(4), "shutdown returns without waiting for the handler")
    }
}

/// Collects swift-log lines in memory.
final class CapturingLogHandler: LogHandler, @unchecked Sendable {
    static let lines = Mutex<[(String, Logger.Metadata)]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        Self.lines.withLock { $0.append((event.message.description, event.metadata ?? [:])) }
    }
}

@Suite struct ObservabilityTests {
    @Test func eachRequestLogsOneLineWithoutTheQueryString() throws {
        var router = Router()
        router.add(.GET, "/v1/items/{id}") { _ in .text("ok") }
        let logger = Logger(label: "access-test") { _ in CapturingLogHandler() }
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), router: router, logger: logger)
        try server.start()
        defer { server.shutdown(timeout: .seconds(1)) }
        let client = try RawClient(port: server.port)
        try client.send("GET /v1/items/42?token=s3cret HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try client.readResponse()
        let lines = CapturingLogHandler.lines.withLock { $0 }.filter { $0.0 == "request" }
        try #require(lines.count == 1)
        let metadata = lines[0].1
        #expect(metadata["method"] == "GET")
        #expect(metadata["path"] == "/v1/items/42")
        #expect(metadata["status"] == "200")
        #expect(metadata["duration_ms"] != nil)
        #expect(!"\(metadata)".contains("s3cret"))
    }

    @Test func theObserverSeesRoutePatternsAndMetricsRenderAsPrometheusText() throws {
        let metrics = Metrics()
        try withServer(routes: { $0.add(.GET, "/v1/tenants/{tenant}") { _ in .text("t") } },
                       observer: metrics.httpObserver()) { server in
            metrics.trackConnections(of: server)
            let client = try RawClient(port: server.port)
            for target in ["/v1/tenants/a", "/v1/tenants/b", "/missing"] {
                try client.send("GET \(target) HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = try client.readResponse()
            }
            let text = metrics.render()
            #expect(text.contains("# TYPE http_requests_total counter"))
            #expect(text.contains(#"http_requests_total{route="/v1/tenants/{tenant}",method="GET",status="200"} 2"#))
            #expect(text.contains(#"http_requests_total{route="unmatched",method="GET",status="404"} 1"#))
            #expect(text.contains("# TYPE http_request_duration_seconds histogram"))
            #expect(text.contains(#"http_request_duration_seconds_bucket{route="/v1/tenants/{tenant}",method="GET",le="+Inf"} 2"#))
            #expect(text.contains(#"http_request_duration_seconds_count{route="/v1/tenants/{tenant}",method="GET"} 2"#))
            #expect(text.contains("http_connections_open 1"))
            #expect(!text.contains("/v1/tenants/a"), "raw paths never become labels")
        }
    }

    @Test func histogramBucketsAreCumulativeAndLabelsEscaped() {
        let metrics = Metrics()
        let h = metrics.histogram("latency_seconds", help: "Latency.", labels: ["name"], buckets: [0.1, 1])
        for v in [0.05, 0.5, 0.5, 5] { h.observe(v, ["a\"b"]) }
        let text = metrics.render()
        #expect(text.contains(#"latency_seconds_bucket{name="a\"b",le="0.1"} 1"#))
        #expect(text.contains(#"latency_seconds_bucket{name="a\"b",le="1"} 3"#))
        #expect(text.contains(#"latency_seconds_bucket{name="a\"b",le="+Inf"} 4"#))
        #expect(text.contains(#"latency_seconds_sum{name="a\"b"} 6.05"#))
        #expect(text.contains(#"latency_seconds_count{name="a\"b"} 4"#))
    }

    @Test func countersAreSafeToIncrementFromManyThreads() {
        let metrics = Metrics()
        let c = metrics.counter("things_total", help: "Things.", labels: ["kind"])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<1000 { c.increment(["x"]) }
        }
        #expect(c.value(["x"]) == 8000)
    }
}
