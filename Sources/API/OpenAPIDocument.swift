import Foundation
import HTTPServer
import Synchronization

/// Serves the OpenAPI contract from a file, read on first request and kept.
final class OpenAPIDocument: Sendable {
    let path: String
    private let cached = Mutex<[UInt8]?>(nil)

    init(path: String) {
        self.path = path
    }

    func response() throws(HTTPError) -> Response {
        let bytes = try cached.withLock { cache throws(HTTPError) -> [UInt8] in
            if let cache { return cache }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw HTTPError(status: .serviceUnavailable, code: "spec_unavailable",
                                message: "The OpenAPI document is not installed with this server.")
            }
            cache = Array(data)
            return cache!
        }
        return Response(status: .ok, headers: ["Content-Type": "application/yaml; charset=utf-8"], body: bytes)
    }
}
