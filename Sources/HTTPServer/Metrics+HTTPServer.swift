extension Metrics {
    /// Registers the standard HTTP metrics and returns the observer to give to `HTTPServer`:
    /// `http_requests_total{route,method,status}`, `http_request_duration_seconds{route,method}`.
    /// Call `trackConnections(of:)` once the server exists for the connection gauges.
    public func httpObserver() -> RequestObserver {
        let requests = counter("http_requests_total", help: "HTTP requests answered, by route pattern, method and status.",
                               labels: ["route", "method", "status"])
        let latency = histogram("http_request_duration_seconds", help: "Time from a complete request to its response being queued.",
                                labels: ["route", "method"])
        return { record in
            let method = record.method?.rawValue ?? "unknown"
            requests.increment([record.routePattern, method, String(record.status.code)])
            latency.observe(record.duration, [record.routePattern, method])
        }
    }

    /// The rendered metrics as a response for `GET /metrics`.
    public func response() -> Response {
        Response(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
                 body: Array(render().utf8))
    }

    /// The server's connections: open now (gauge), accepted and rejected with 503 since start (counters).
    public func trackConnections(of server: HTTPServer) {
        gauge("http_connections_open", help: "HTTP connections open now.") { [weak server] in
            Double(server?.openConnections ?? 0)
        }
        counter("http_connections_accepted_total", help: "HTTP connections accepted since start.") { [weak server] in
            Double(server?.acceptedConnections ?? 0)
        }
        counter("http_connections_rejected_total", help: "HTTP connections refused with 503 since start (connection limit).") { [weak server] in
            Double(server?.rejectedConnections ?? 0)
        }
    }
}
