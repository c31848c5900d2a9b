import Foundation

/// One HTTP call to GP, independent of how it travels (direct libcurl, or relayed by the local
/// agent). Credentials are not part of it: the transport holds them, so a relayed request can be
/// authenticated on the customer's network without the password ever leaving it.
public struct GPRequest: Sendable, Equatable, Codable {
    public var method: String
    public var url: String
    public var headers: [GPHeader]
    public var body: Data?
    /// Seconds for the whole call.
    public var timeout: Double

    public init(method: String, url: String, headers: [GPHeader] = [], body: Data? = nil, timeout: Double = 120) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

public struct GPHeader: Sendable, Equatable, Codable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// GP's answer, any status.
public struct GPResponse: Sendable, Equatable, Codable {
    public var status: Int
    public var headers: [GPHeader]
    public var body: Data
    /// Seconds from sending to the last byte.
    public var duration: Double

    public init(status: Int, headers: [GPHeader] = [], body: Data = Data(), duration: Double = 0) {
        self.status = status
        self.headers = headers
        self.body = body
        self.duration = duration
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Carries GP requests. Returns every HTTP answer (including 4xx/5xx) as a `GPResponse`; throws
/// `GPError` only when no answer arrived: `.timeout`, `.unreachable`, `.tlsFailed`.
///
/// Implementations block the calling thread: call them from worker threads, never from Swift's
/// cooperative pool.
public protocol GPTransport: Sendable {
    func send(_ request: GPRequest) throws(GPError) -> GPResponse
}
