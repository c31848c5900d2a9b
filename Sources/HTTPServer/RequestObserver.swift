/// What the server reports about each answered request, for metrics.
public struct RequestRecord: Sendable {
    public let method: HTTPMethod?
    /// The matched route pattern (`/v1/tenants/{tenant}`), never the raw path, so metric label
    /// values stay few; `"unmatched"` for 404s and requests rejected before routing.
    public let routePattern: String
    public let status: HTTPStatus
    public let duration: Duration
}

/// Called on the connection thread after each response is written; keep it cheap.
public typealias RequestObserver = @Sendable (RequestRecord) -> Void
