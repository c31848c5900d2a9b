import Foundation
import HTTPServer

/// Puts a `CommerceSimulator` on the project's HTTP server. Magento's routes have no fixed
/// shape (`/rest/<store>/V1/…`, `/<tenant>/V1/…`), so every path depth up to `maxDepth` is
/// registered as all-parameter patterns and handed to the simulator whole.
final class CommerceSimServer: @unchecked Sendable {
    static let maxDepth = 9
    let server: HTTPServer

    init(simulator: CommerceSimulator, host: String, port: Int) {
        var router = Router()
        let handler: Router.Handler = { [weak simulator] request in
            guard let simulator else { return Response(status: .serviceUnavailable) }
            let simRequest = CommerceSimRequest(
                method: request.method.rawValue, path: request.path,
                rawQuery: request.head.query.map(String.init) ?? "",
                headers: request.headers.map { (name: $0.name, value: $0.value) }, body: request.body)
            let answer = simulator.handle(simRequest)
            var headers = HTTPHeaders()
            for header in answer.headers { headers.add(header.name, header.value) }
            return Response(status: HTTPStatus(answer.status), headers: headers, body: answer.body)
        }
        for depth in 1...Self.maxDepth {
            let pattern = (0..<depth).map { "/{p\($0)}" }.joined()
            for method in [HTTPMethod.GET, .POST, .PUT, .DELETE] {
                router.add(method, pattern, maxBodyBytes: 16 << 20, handler)
            }
        }
        server = HTTPServer(configuration: ServerConfiguration(host: host, port: port, maxBodyBytes: 16 << 20),
                            router: router)
    }
}

extension CommerceSimulator {
    /// Starts listening on `config.host:config.port` (port 0: a free one, see `port`).
    public func start() throws {
        let server = CommerceSimServer(simulator: self, host: config.host, port: config.port)
        try server.server.start()
        lock.withLock { self.server = server }
    }

    public func stop() {
        let server = lock.withLock { self.server }
        server?.server.shutdown(timeout: .seconds(2))
        bulk.stop()
    }

    public var port: Int { lock.withLock { server?.server.port ?? 0 } }

    /// `http://host:port`, the base URL clients use (PaaS: append `/rest/default/V1/…`).
    public var baseURL: String { "http://\(config.host):\(port)" }
}
