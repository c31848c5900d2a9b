import Commerce
import Connector
import Foundation
import Postgres
import Queue
import Simulators

/// The demo's script once everything runs: register, sync, order, wait, tell.
struct DemoStory {
    let stack: DemoStack
    let demo: Demo

    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    var baseURL: String { "http://\(demo.host == "0.0.0.0" || demo.host == "::" ? "127.0.0.1" : demo.host):\(stack.server.port)" }

    func run() throws {
        let tenant = try register()
        let tenantID = tenant.id.rawValue
        let conn = try Connection(stack.session.conninfo)
        Self.say("Tenant \"\(tenant.settings.name)\" registered (\(tenantID)); its schedules start the item and customer sync now.")
        stack.runtime.tenantsChanged()
        try waitFor("the item and customer sync", seconds: demo.timeout) {
            let states = try conn.query("""
                SELECT kind, state FROM jobs WHERE tenant_id = $1 AND kind IN ('sync_items', 'sync_customers')
                """, tenantID).map { (try $0.decode("kind", as: String.self), try $0.decode("state", as: String.self)) }
            let done = Set(states.filter { $0.1 == "completed" || $0.1 == "discarded" }.map(\.0))
            return done.count == 2
        }
        Self.say("Items and customers are in Commerce. Placing orders in the Commerce simulator…")
        let webhookURL = baseURL + "/v1/webhooks/commerce/" + tenantID
        stack.commerce.webhook = CommerceSimulatorConfig.Webhook(url: webhookURL, timeoutMs: 2000, softTimeoutMs: 500,
                                                                 required: false, orderEventName: "sales_order_place_after")
        let orders = DemoOrders(commerce: stack.commerce, queue: stack.runtime.queue, conninfo: stack.session.conninfo,
                                tenantID: tenantID, webhookURL: webhookURL)
        let placed = try orders.placeAll()
        // The backstop runs every 60 s; run it once now so nobody waits a minute for the missed
        // webhook. Its read window ends at the current second, so step past the orders' second.
        Thread.sleep(forTimeInterval: 1.1)
        _ = try stack.runtime.queue.enqueue(conn, kind: ConnectorJobs.pollOrders, tenant: tenantID,
                                           payload: #"{"mode":"incremental"}"#)   // both lists, as the schedule
        Self.say("Waiting for the orders to settle…")
        let settled: Set<String> = ["posted", "needs_attention", "conflict", "abandoned", "skipped"]
        let finished = try? waitFor("the orders to settle", seconds: demo.timeout) {
            let statuses = try placed.map { try status(conn, tenantID, $0.incrementId) }
            return statuses.allSatisfy { $0.map(settled.contains) ?? false }
        }
        if finished == nil { Self.say("(Some orders are still in flight; the summary shows where each one is now.)") }
        try DemoSummary(stack: stack, conn: conn, tenantID: tenantID, baseURL: baseURL, placed: placed,
                        receiverAnswered: orders.receiver.answered ?? nil).print()
    }

    func register() throws -> Tenant {
        let i = CommerceSimulatorConfig.defaultIntegration
        let document: [String: Any] = [
            "name": "Demo Furniture Co. \(DemoCatalog.day(Date())) \(UUID().uuidString.prefix(4).lowercased())",
            "gp": [
                "company_url": stack.gp.companyURL(company: "Fabrikam, Inc."), "auth": "basic",
                "username": DemoCatalog.gpUser, "password": DemoCatalog.gpPassword, "tls": ["allow_insecure_http": true],
                "max_parallel_calls": 3, "price_level": "RETAIL", "sites": ["MAIN", "EAST"], "functional_currency": "USD",
                "document_prefix": "WEB", "batch_prefix": "WEB",
            ],
            "commerce": [
                "base_url": stack.commerce.baseURL, "store_code": "default", "tls": ["allow_insecure_http": true],
                "webhook_public_key": stack.commerce.webhookPublicKeyPEM,
                "auth": ["type": "oauth1", "consumer_key": i.consumerKey, "consumer_secret": i.consumerSecret,
                         "access_token": i.accessToken, "access_token_secret": i.accessTokenSecret],
            ],
            "schedule": ["items_every_s": 900, "customers_every_s": 900, "orders_backstop_every_s": 60],
        ]
        let data = try JSONSerialization.data(withJSONObject: document)
        let validated = try stack.plane.tenants.validator.validate(try DocumentValue.parse(Array(data)), keptSecrets: [])
        return try stack.plane.tenants.create(validated)
    }

    func status(_ conn: Connection, _ tenantID: String, _ increment: String) throws -> String? {
        try conn.query("SELECT status FROM records WHERE tenant_id = $1 AND entity = 'order' AND source_key = $2",
                       tenantID, increment).first?.decode("status")
    }

    /// Polls `done` every 200 ms; throws a clear message after `seconds`.
    @discardableResult
    func waitFor(_ what: String, seconds: Int, _ done: () throws -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(Double(seconds))
        while Date() < deadline {
            if try done() { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw DemoError("timed out after \(seconds) s waiting for \(what); run with --log-level info to see why")
    }
}
