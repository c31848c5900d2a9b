/// Maps a method and path to a handler. Patterns are literal segments and `{name}` parameters:
/// `router.add(.GET, "/v1/tenants/{tenant}") { request in … }`. A literal segment wins over a
/// parameter where both match. GET routes also answer HEAD (without the body).
///
/// Handlers are synchronous and run on the server's connection threads, so they may block (a
/// database call, say). Build the router before starting the server; it is immutable after.
public struct Router: Sendable {
    public typealias Handler = @Sendable (Request) throws -> Response

    struct Route: Sendable {
        let pattern: String
        let segments: [Segment]
        var handlers: [HTTPMethod: Handler]
        var bodyLimits: [HTTPMethod: Int]
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    enum Match {
        case found(Route, Handler, parameters: [String: String])
        case methodNotAllowed(allowed: [HTTPMethod])
        case notFound
        case badPath
    }

    var routes: [Route] = []

    public init() {}

    /// Registers `handler` for `method` on `pattern`. `maxBodyBytes` overrides the server's body
    /// limit for this route (larger for an upload, smaller for a tiny form).
    public mutating func add(_ method: HTTPMethod, _ pattern: String, maxBodyBytes: Int? = nil,
                             _ handler: @escaping Handler) {
        let segments = Self.segments(of: pattern)
        if let i = routes.firstIndex(where: { $0.segments == segments }) {
            routes[i].handlers[method] = handler
            routes[i].bodyLimits[method] = maxBodyBytes
        } else {
            var limits: [HTTPMethod: Int] = [:]
            limits[method] = maxBodyBytes
            routes.append(Route(pattern: pattern, segments: segments, handlers: [method: handler], bodyLimits: limits))
        }
    }

    static func segments(of pattern: String) -> [Segment] {
        precondition(pattern.hasPrefix("/"), "route patterns start with /")
        return pattern.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { part in
            if part.hasPrefix("{") && part.hasSuffix("}") && part.count > 2 {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            return .literal(String(part))
        }
    }

    /// The body limit for a request, known as soon as its head is parsed.
    func bodyLimit(for method: HTTPMethod, path: Substring, default defaultLimit: Int) -> Int {
        guard let route = bestRoute(for: path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)) else {
            return defaultLimit
        }
        return route.bodyLimits[method] ?? defaultLimit
    }

    func match(_ method: HTTPMethod, path: Substring) -> Match {
        let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        guard let route = bestRoute(for: parts) else { return .notFound }
        let handler = route.handlers[method] ?? (method == .HEAD ? route.handlers[.GET] : nil)
        guard let handler else {
            var allowed = Set(route.handlers.keys)
            if allowed.contains(.GET) { allowed.insert(.HEAD) }
            return .methodNotAllowed(allowed: allowed.sorted())
        }
        var parameters: [String: String] = [:]
        for (segment, part) in zip(route.segments, parts) {
            if case .parameter(let name) = segment {
                guard let value = PercentDecoding.decode(part, plusIsSpace: false) else { return .badPath }
                parameters[name] = value
            }
        }
        return .found(route, handler, parameters: parameters)
    }

    /// The matching route with the most specific segments (a literal beats a parameter at the
    /// first position where they differ).
    func bestRoute(for parts: [Substring]) -> Route? {
        var best: Route?
        var bestScore: [Bool] = []
        for route in routes where route.segments.count == parts.count {
            var score: [Bool] = []
            score.reserveCapacity(parts.count)
            var matches = true
            for (segment, part) in zip(route.segments, parts) {
                switch segment {
                case .literal(let text):
                    if text != part { matches = false }
                    score.append(true)
                case .parameter:
                    if part.isEmpty { matches = false }
                    score.append(false)
                }
                if !matches { break }
            }
            guard matches else { continue }
            if best == nil || score.lexicographicallyPrecedes(bestScore, by: { $0 && !$1 }) {
                best = route
                bestScore = score
            }
        }
        return best
    }
}
