import Commerce
import Connector
import Crypto
import Foundation
import GP
import Postgres
import Queue
import Simulators
import TestSupport

/// Both simulators, a migrated database, and a tenant registered against them through the
/// `TenantStore` (validator, vault and all), as `serve` would hold them.
final class RuntimeWorld: @unchecked Sendable {
    static let gpUser = #"DEMO\svc-gp"#
    static let gpPassword = "Gp-pa55word!"
    static let schemaDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Schema")

    let gp: GPSimulator
    let commerce: CommerceSimulator
    let conninfo: String
    let pool: ConnectionPool
    let tenants: TenantStore
    var tenant: Tenant!

    let masterKey: MasterKey

    init(_ label: String, seed: GPSimulatorSeed) throws {
        var config = GPSimulatorConfiguration()
        config.users = [Self.gpUser: Self.gpPassword]
        gp = try GPSimulator(configuration: config, seed: seed)
        _ = try gp.start(host: "127.0.0.1", port: 0)
        commerce = try CommerceSimulator(config: CommerceSimulatorConfig())
        try commerce.start()
        conninfo = try TestDatabase.shared.freshDatabase(label)
        _ = try Migrator(directory: Self.schemaDirectory.path).migrate(try Connection(conninfo))
        pool = ConnectionPool(conninfo: conninfo, maxConnections: 4)
        masterKey = try MasterKey.generate()
        tenants = TenantStore(pool: pool, vault: Vault(keyring: try Keyring(current: masterKey)), validator: .standard)
    }

    deinit {
        gp.stop()
        commerce.stop()
        pool.close()
    }

    /// Registers the tenant; `gpURL` overrides the GP company URL (a dead port for the probe test).
    @discardableResult
    func register(gpURL: String? = nil, commerceURL: String? = nil, schedule: [String: Int] = [:], maxParallelCalls: Int = 2,
                  webhookKey: Bool = false, gpSBA: [String: Any] = [:]) throws -> Tenant {
        let i = CommerceSimulatorConfig.defaultIntegration
        var scheduleDoc: [String: Any] = ["items_every_s": 0, "customers_every_s": 0, "orders_backstop_every_s": 0]
        for (k, v) in schedule { scheduleDoc[k] = v }
        var commerceDoc: [String: Any] = [
            "base_url": commerceURL ?? commerce.baseURL, "store_code": "default",
            "tls": ["allow_insecure_http": true],
            "auth": ["type": "oauth1", "consumer_key": i.consumerKey, "consumer_secret": i.consumerSecret,
                     "access_token": i.accessToken, "access_token_secret": i.accessTokenSecret],
        ]
        if webhookKey { commerceDoc["webhook_public_key"] = commerce.webhookPublicKeyPEM }
        var gpDoc: [String: Any] = [
            "company_url": gpURL ?? gp.companyURL(company: "Fabrikam, Inc."), "auth": "basic",
            "username": Self.gpUser, "password": Self.gpPassword, "tls": ["allow_insecure_http": true],
            "max_parallel_calls": maxParallelCalls, "price_level": "RETAIL", "functional_currency": "USD",
        ]
        if !gpSBA.isEmpty { gpDoc["sba"] = gpSBA }
        let document: [String: Any] = [
            "name": "Runtime test \(UUID().uuidString.prefix(8))",
            "gp": gpDoc,
            "commerce": commerceDoc,
            "schedule": scheduleDoc,
        ]
        let data = try JSONSerialization.data(withJSONObject: document)
        let validated = try tenants.validator.validate(try DocumentValue.parse(Array(data)), keptSecrets: [])
        let created = try tenants.create(validated)
        tenant = created
        return created
    }

    var tenantID: String { tenant.id.rawValue }

    /// Polls `condition` every 50 ms for up to `seconds`.
    func waitFor(_ seconds: Double, _ condition: () throws -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return try condition()
    }

    func jobStates(_ conn: Connection, kind: String) throws -> [String] {
        try conn.query("SELECT state::text AS state FROM jobs WHERE tenant_id = $1 AND kind = $2 ORDER BY id", tenantID, kind)
            .map { try $0.decode("state") }
    }
}
