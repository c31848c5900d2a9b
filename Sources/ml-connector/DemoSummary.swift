import Connector
import Foundation
import Postgres
import Simulators

/// The demo's printed account: counts per side, one line per order with where it landed and
/// why, then how to look around with curl.
struct DemoSummary {
    let stack: DemoStack
    let conn: Connection
    let tenantID: String
    let baseURL: String
    let placed: [DemoOrders.Placed]
    let receiverAnswered: Int?

    static let line = String(repeating: "─", count: 78)

    func print() throws {
        let say = DemoStory.say
        let counts = try conn.query("""
            SELECT entity, status, count(*)::int AS n FROM records WHERE tenant_id = $1 GROUP BY 1, 2 ORDER BY 1, 2
            """, tenantID).map { (try $0.decode("entity", as: String.self), try $0.decode("status", as: String.self),
                                  try $0.decode("n", as: Int.self)) }
        func of(_ entity: String) -> String {
            let parts = counts.filter { $0.0 == entity }.map { "\($0.2) \($0.1)" }
            return parts.isEmpty ? "none" : parts.joined(separator: ", ")
        }
        let stats = stack.commerce.stats
        let closed = DemoCatalog.closedPeriod(Date())
        say("")
        say(Self.line)
        say("ml-connector demo — what landed where")
        say(Self.line)
        say("GP (simulator)        \(stack.gp.companyURL(company: "Fabrikam, Inc."))")
        say("                      \(stack.gp.store.count(.items)) items, \(stack.gp.store.count(.customers)) customers; fiscal period \(closed.from)…\(closed.to) closed")
        say("Commerce (simulator)  \(stack.commerce.baseURL)")
        say("Control plane         \(baseURL)")
        say("Tenant                \(tenantID)")
        say("")
        say("Items → Commerce products:     \(of("item"))   (Commerce now has \(stats["products"] ?? 0) products)")
        for (reason, n) in try reasons("item") { say("    \(n) × \(reason)") }
        say("Customers → Commerce accounts: \(of("customer"))   (Commerce now has \(stats["customers"] ?? 0) customers)")
        for (reason, n) in try reasons("customer") { say("    \(n) × \(reason)") }
        say("")
        say("Orders → GP receivables invoices (posting trigger: invoice captured):")
        let documents = stack.gp.store.documents
        for order in placed {
            let row = try conn.query("""
                SELECT status, arrived_via, target_key, last_error_message, last_error_fix FROM records
                 WHERE tenant_id = $1 AND entity = 'order' AND source_key = $2
                """, tenantID, order.incrementId).first
            let status: String = try row?.decode("status") ?? "not seen yet"
            let via: String = try row?.decode("arrived_via") ?? "-"
            say("  \(order.incrementId)  \(order.label)")
            say("      delivery: \(order.delivery); recorded as arriving by \(via)")
            if let doc = documents.first(where: { $0.documentNumber.hasSuffix(order.incrementId) }) {
                let rate = doc.exchangeRate.map { ", exchange rate \($0)" } ?? ""
                say("      → \(status): GP invoice \(doc.documentNumber) for \(doc.customerId), \(doc.currencyId) \(doc.documentAmount)\(rate), batch \(doc.batchId)")
            } else {
                let message: String? = try row?.decode("last_error_message")
                let fix: String? = try row?.decode("last_error_fix")
                say("      → \(status)" + (message.map { ": \($0)" } ?? ""))
                if let fix { say("        fix: \(fix)") }
            }
        }
        say("")
        let perOrder = placed.map { order in documents.filter { $0.documentNumber.hasSuffix(order.incrementId) }.count }
        if perOrder.allSatisfy({ $0 <= 1 }) {
            say("GP holds \(documents.count) receivables invoice(s) for \(placed.count) orders: none twice, none for a parked order.")
        } else {
            say("GP holds \(documents.count) receivables invoice(s) for \(placed.count) orders — SOME ORDER HAS MORE THAN ONE; this is a bug.")
        }
        if receiverAnswered != 200 {
            say("(The webhook receiver route answered \(receiverAnswered.map(String.init) ?? "nothing") in this build, so the demo handed")
            say(" each webhook's event to OrderIntake itself — the same call the receiver makes.)")
        }
        say("")
        let token = try stack.plane.tokens.issue(scope: .admin, name: "demo").bearer
        say("Admin token (shown once): \(token)")
        say("Look around:")
        say("  export MLC_TOKEN=\(token)")
        say("  curl -s -H \"Authorization: Bearer $MLC_TOKEN\" \(baseURL)/v1/tenants/\(tenantID)")
        say("  curl -s -X POST -H \"Authorization: Bearer $MLC_TOKEN\" \(baseURL)/v1/tenants/\(tenantID)/ping")
        say("  curl -s -H \"Authorization: Bearer $MLC_TOKEN\" '\(baseURL)/v1/tenants/\(tenantID)/records?entity=order'")
        say("  curl -s -H \"Authorization: Bearer $MLC_TOKEN\" '\(baseURL)/v1/jobs?tenant=\(tenantID)'")
        say("  curl -s \(stack.commerce.baseURL)/_sim/stats")
        say("demo summary printed")
        say(Self.line)
    }

    /// Why records were skipped or failed, grouped.
    func reasons(_ entity: String) throws -> [(String, Int)] {
        try conn.query("""
            SELECT status || ': ' || last_error_message AS reason, count(*)::int AS n FROM records
             WHERE tenant_id = $1 AND entity = $2 AND status IN ('skipped', 'failed') AND last_error_message IS NOT NULL
             GROUP BY 1 ORDER BY 2 DESC LIMIT 5
            """, tenantID, entity).map { (try $0.decode("reason", as: String.self), try $0.decode("n", as: Int.self)) }
    }
}
