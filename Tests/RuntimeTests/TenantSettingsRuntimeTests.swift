import Commerce
import Connector
import Crypto
import Foundation
import GP
import HTTPServer
import Postgres
import Queue
import Simulators
import TestSupport
import Testing

/// Tenant settings as the running connector sees them: a tenant write reaches the runtime by
/// NOTIFY (not by its periodic resync), and the posting trigger, guest customer, SBA settings and
/// the on-demand orders poll come from the tenant document.
@Suite(.serialized) struct TenantSettingsRuntimeTests {
    static func customer(_ id: String) -> [String: JSONValue] {
        ["CustomerId": .string(id), "Name": .string(id), "IsOnHold": .bool(false), "IsActive": .bool(true),
         "ModifiedDate": .string("2026-11-20")]
    }

    static func patch(_ world: RuntimeWorld, _ json: String) throws {
        _ = try world.tenants.patch(world.tenant.id, with: try DocumentValue.parse(Array(json.utf8)))
    }

    @Test func creatingPatchingAndDeletingATenantReachTheRuntimeWithoutItsPeriodicResync() async throws {
        let world = try RuntimeWorld("runtime_notify", seed: GPSimulatorSeed(functionalCurrency: "USD"))
        let outcome = try await onThread { () -> [String] in
            // A resync interval of an hour: only the tenants_changed notification can explain a change.
            let runtime = ConnectorRuntime(conninfo: world.conninfo, tenants: world.tenants, workers: 1, configure: {
                $0.pollInterval = 0.1
                $0.maintenanceInterval = 0.2
            }, tenantSyncInterval: 3600)
            try runtime.start()
            defer { runtime.shutdown(grace: 5) }
            let conn = try Connection(world.conninfo)
            func everyS() throws -> Int? {
                try conn.query("SELECT every_s FROM schedules WHERE tenant_id = $1 AND entity = 'customers'", world.tenantID)
                    .first?.decode("every_s")
            }
            func limit() throws -> Int? {
                try conn.query("SELECT max_parallel FROM queue_tenant_limits WHERE tenant_id = $1", world.tenantID)
                    .first?.decode("max_parallel")
            }
            var seen: [String] = []
            // The writes go through a store of their own, as the API process's would.
            let apiPool = ConnectionPool(conninfo: world.conninfo, maxConnections: 2)
            defer { apiPool.close() }
            let api = TenantStore(pool: apiPool, vault: Vault(keyring: try Keyring(current: world.masterKey)), validator: .standard)
            try world.register(schedule: ["customers_every_s": 600])
            if try world.waitFor(20, { try everyS() == 600 && limit() == 2 }) { seen.append("created") }
            _ = try api.patch(world.tenant.id, with: try DocumentValue.parse(Array(
                #"{"schedule":{"customers_every_s":1200},"gp":{"max_parallel_calls":5}}"#.utf8)))
            if try world.waitFor(20, { try everyS() == 1200 && limit() == 5 }) { seen.append("patched") }
            // The delete's notification wakes the runtime too (its schedules may already be gone by
            // the foreign key's cascade, so count the resync itself).
            let resyncsBefore = runtime.resyncCount
            _ = try api.delete(world.tenant.id)
            if try world.waitFor(20, { try everyS() == nil }) { seen.append("deleted") }
            if try world.waitFor(20, { runtime.resyncCount > resyncsBefore }) { seen.append("resynced by notification") }
            return seen
        }
        #expect(outcome == ["created", "patched", "deleted", "resynced by notification"])
    }

    @Test func theTenantsTriggerAndGuestCustomerDecideWhatAnOrdersPollPosts() async throws {
        let world = try RuntimeWorld("runtime_guest", seed: GPSimulatorSeed(functionalCurrency: "USD", customers: [Self.customer("GUEST")]))
        let result = try await onThread { () -> (first: [SyncRecord?], second: SyncRecord?, documents: [GPSimDocument]) in
            try world.register()
            let runtime = ConnectorRuntime(conninfo: world.conninfo, tenants: world.tenants, workers: 2, configure: {
                $0.pollInterval = 0.1
                $0.maintenanceInterval = 0.2
            }, tenantSyncInterval: 0.5)
            try runtime.start()
            defer { runtime.shutdown(grace: 5) }
            let conn = try Connection(world.conninfo)
            let store = RecordStore()
            func place() throws -> RecordKey {
                let placed = world.commerce.placeOrder(email: "nobody@example.com", lines: [CommerceSimOrderLine(sku: "W-1", qty: 1, price: 30)])
                // The poll reads `updated_at < now` at second precision: step past the order's second.
                Thread.sleep(forTimeInterval: 1.1)
                return RecordKey(tenant: world.tenantID, entity: .order, sourceKey: try #require(placed.order?["increment_id"] as? String))
            }
            func poll(_ request: PollRequest) throws {
                let payload = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
                let before = try world.jobStates(conn, kind: ConnectorJobs.pollOrders).count
                _ = try runtime.queue.enqueue(conn, kind: ConnectorJobs.pollOrders, tenant: world.tenantID, payload: payload)
                _ = try world.waitFor(30) {
                    let states = try world.jobStates(conn, kind: ConnectorJobs.pollOrders)
                    return states.count == before + 1 && states.allSatisfy { $0 == "completed" }
                }
            }
            var first: [SyncRecord?] = []
            let key = try place()
            // Default trigger (invoice captured): a placed order is only noted.
            try poll(PollRequest(entity: .orders))
            first.append(try store.record(conn, key))
            // Posting on order placed, but no guest customer: the order parks with the reason.
            try Self.patch(world, #"{"posting":{"trigger":"order_placed"}}"#)
            try poll(PollRequest(entity: .orders, mode: .full))
            _ = try world.waitFor(30) { try store.record(conn, key)?.status == .needsAttention }
            first.append(try store.record(conn, key))
            // With a guest customer, the next order posts against it.
            try Self.patch(world, #"{"posting":{"guest_customer_id":"GUEST"}}"#)
            let second = try place()
            try poll(PollRequest(entity: .orders))
            _ = try world.waitFor(30) { try store.record(conn, second)?.status == .posted }
            return (first, try store.record(conn, second), world.gp.store.documents)
        }
        #expect(result.first.first??.status == .pending)
        #expect(result.first.first??.arrivedVia == .poll)
        #expect(result.first.last??.status == .needsAttention)
        #expect(result.first.last??.lastError?.code == "no_guest_customer")
        #expect(result.second?.status == .posted)
        #expect(result.documents.count == 1)
        #expect(result.documents.first?.customerId == "GUEST")
    }

    @Test func theGPClientAndThePingUseTheTenantsSBASettings() throws {
        let world = try RuntimeWorld("runtime_sba", seed: GPSimulatorSeed(functionalCurrency: "USD"))
        try world.register()
        try Self.patch(world, #"{"gp":{"sba":{"paths":{"customers":"Sales/Customer"},"page_size":25,"request_timeout_s":300}}}"#)
        let tenant = try #require(try world.tenants.tenant(world.tenant.id))
        let clients = try TenantClients(tenant: tenant, secrets: try world.tenants.secrets(of: tenant.id))
        #expect(clients.gp.settings.paths.customers == "Sales/Customer")
        #expect(clients.gp.settings.pageSize == 25)
        #expect(clients.gp.settings.requestTimeout == 300)
        let ping = LiveTenantProbe().pingGPSettings(tenant)
        #expect(ping.paths.customers == "Sales/Customer")
        #expect(ping.requestTimeout == 15)     // a person waits for a ping
    }
}
