import Foundation
import TestSupport
import HTTPClient
import Logging
import Synchronization

/// Performs requests with a fresh `HTTPClient` on a thread of its own; each request's outcome is
/// returned as a `Result` so tests can assert on typed errors.
func send(_ requests: [HTTPRequest], logger: Logger = Logger(label: "test")) async throws -> [Result<HTTPResponse, HTTPClientError>] {
    try await onThread {
        let client = HTTPClient(logger: logger)
        return requests.map { request in Result { () throws(HTTPClientError) in try client.perform(request) } }
    }
}

func send(_ request: HTTPRequest, logger: Logger = Logger(label: "test")) async throws -> Result<HTTPResponse, HTTPClientError> {
    try await send([request], logger: logger)[0]
}

extension Result {
    var response: Success? { try? get() }
    var error: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// What the Python echo server reports about the request it received.
struct Echo: Decodable {
    let method: String
    let path: String
    let headers: [[String]]
    let body: String
    let connection: Int
    let connections: Int
    let user: String?
    let ntlm_legs: Int?
    let proxied: Bool?

    init(_ response: HTTPResponse) throws {
        self = try JSONDecoder().decode(Echo.self, from: Data(response.body))
    }

    func header(_ name: String) -> String? {
        headers.first { $0[0].lowercased() == name.lowercased() }?[1]
    }
}

/// Keeps every log record, to check what the client logs (and what it never logs).
final class LogCapture: @unchecked Sendable {
    struct Record: Sendable {
        let level: Logger.Level
        let text: String
    }

    private let records = Mutex<[Record]>([])

    var all: [Record] { records.withLock { $0 } }

    func logger() -> Logger {
        var logger = Logger(label: "capture") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    fileprivate func append(_ record: Record) {
        records.withLock { $0.append(record) }
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let fields = (metadata.merging(event.metadata ?? [:]) { $1 }).map { "\($0)=\($1)" }.sorted()
            capture.append(Record(level: event.level, text: "\(event.message) \(fields.joined(separator: " "))"))
        }
    }
}
