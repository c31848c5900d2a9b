import Foundation
import HTTPServer
import Logging

/// `GET /healthz` → `{"status":"ok"}`, the same handler shape as the Hummingbird peer: a Codable
/// value encoded per request.
struct Health: Encodable {
    let status: String
}

let port = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 8082
var router = Router()
router.add(.GET, "/healthz") { _ in .json(Health(status: "ok")) }
var logger = Logger(label: "bench")
// Hummingbird logs no line per request by default; ours would, at info. Compare like with like.
logger.logLevel = .warning
let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: port), router: router, logger: logger)
try server.start()
print("listening on \(server.port)")
while true { sleep(3600) }
