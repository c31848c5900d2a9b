import Hummingbird

/// `GET /healthz` → `{"status":"ok"}`, the same handler shape as ours: a Codable value encoded per request.
struct Health: ResponseEncodable {
    let status: String
}

let port = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 8081
let router = Router()
router.get("healthz") { _, _ -> Health in
    Health(status: "ok")
}
let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: port))
)
try await app.runService()
