/// One HTTP exchange as the Commerce client needs it. The production transport is the shared
/// libcurl `HTTPClient` (see `CommerceClient+HTTPClient.swift`); tests may plug in others.
public struct CommerceHTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

public struct CommerceHTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Sends one request; a failure to get any HTTP answer is `CommerceError.transport`.
/// Blocking: call it from worker threads, never from Swift's cooperative pool.
public protocol CommerceTransport: Sendable {
    func send(_ request: CommerceHTTPRequest) throws(CommerceError) -> CommerceHTTPResponse
}
