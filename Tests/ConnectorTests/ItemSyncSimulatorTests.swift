import Commerce
import Connector
import Foundation
import GP
import HTTPServer
import Postgres
import Simulators
import Testing

/// The item sync end to end: the GP simulator over HTTP → `GPItemPageSource` → mapping → records
/// in PostgreSQL → `CommerceProductWriter` → the Commerce simulator over HTTP.
@Suite(.serialized) struct ItemSyncSimulatorTests {
    static let user = "CONTOSO\\svc-gp"
    static let password = "s3cret-Pa55"

    final class Systems: @unchecked Sendable {
        let gp: GPSimulator
        let commerce: CommerceSimulator
        let conninfo: String

        init(items: Int) throws {
            var config = GPSimulatorConfiguration()
            config.users = [ItemSyncSimulatorTests.user: ItemSyncSimulatorTests.password]
            config.today = "2026-11-20"
            gp = try GPSimulator(configuration: config, seed: GPSimulatorSeed(
                functionalCurrency: "USD", generate: GPSimGenerate(items: items, priceLevel: "RETAIL", sites: ["MAIN", "EAST"])))
            try gp.start(host: "127.0.0.1", port: 0)
            commerce = try CommerceSimulator(config: CommerceSimulatorConfig())
            try commerce.start()
            conninfo = try FlowsDatabase.connectionInfo("itemsync_sim")
        }

        deinit {
            gp.stop()
            commerce.stop()
        }

        func sync(_ settings: ItemMappingSettings = ItemMappingSettings()) throws -> ItemSync {
            let client = GPClient(company: try GPCompany(url: gp.companyURL(company: "Fabrikam, Inc.")), settings: GPSettings(),
                                  transport: GPDirectTransport(auth: .basic(user: ItemSyncSimulatorTests.user,
                                                                            password: ItemSyncSimulatorTests.password)),
                                  tenant: "acme")
            let i = CommerceSimulatorConfig.defaultIntegration
            let shop = CommerceClient(
                tenant: "acme",
                settings: CommerceSettings(baseURL: commerce.baseURL, flavour: .paas(storeCode: "default"), auth: .oauth1(
                    OAuth1Credentials(consumerKey: i.consumerKey, consumerSecret: i.consumerSecret,
                                      accessToken: i.accessToken, accessTokenSecret: i.accessTokenSecret))),
                transport: CommerceHTTPClientTransport(proxy: .direct), tokenCache: IMSTokenCache())
            return ItemSync(tenant: "acme", settings: settings, source: GPItemPageSource(client: client, settings: settings),
                            writer: CommerceProductWriter(client: shop, bulkPollInterval: 0.05, bulkTimeout: 30))
        }

        var commerceRequests: Int { commerce.stats["requests"] ?? 0 }
    }

    @Test func itemsLandInCommerceOnceAndAnUnchangedRunMakesNoCommerceCall() async throws {
        let systems = try Systems(items: 60)
        let (first, second, full, products, requests) = try await onThread {
            let conn = try Connection(systems.conninfo)
            let first = try systems.sync().run(conn, mode: .incremental)
            let products = systems.commerce.stats["products"]
            let before = systems.commerceRequests
            let second = try systems.sync().run(conn, mode: .incremental)
            let full = try systems.sync().run(conn, mode: .full)
            return (first, second, full, products, systems.commerceRequests - before)
        }
        #expect(first.created == 60 && first.failed == 0 && first.skipped == 0)
        #expect(products == 60)
        #expect(first.watermark == "2026-11-20")
        // Incremental re-reads only the watermark day and GP's overlap day (the generator spreads
        // modified dates over 30 days), all unchanged.
        #expect(second.processed > 0 && second.processed < 60)
        #expect(second.unchanged == second.processed && second.writeCalls == 0)
        #expect(full.unchanged == 60 && full.writeCalls == 0)
        #expect(requests == 0)
    }

    @Test func aChangeInGPIsWrittenOnTheNextIncrementalRun() async throws {
        let systems = try Systems(items: 20)
        let (run, requests, trail) = try await onThread {
            let conn = try Connection(systems.conninfo)
            _ = try systems.sync().run(conn, mode: .incremental)
            let number = "ITEM-000005"
            try systems.gp.store.upsert([[
                "ItemNumber": .string(number), "Description": .string("Renamed in GP"), "Type": .string("SalesInventory"),
                "ModifiedDate": .string("2026-11-20"),
            ]], into: .items)
            let before = systems.commerceRequests
            let run = try systems.sync().run(conn, mode: .incremental)
            let record = try RecordStore().record(conn, RecordKey(tenant: "acme", entity: .item, sourceKey: number))
            let trail = try record.map { try RecordStore().auditTrail(conn, recordID: $0.id).map(\.code) } ?? []
            return (run, systems.commerceRequests - before, trail)
        }
        #expect(run.updated == 1 && run.created == 0)
        #expect(requests == 1)
        #expect(trail == ["product_created", "product_updated"])
    }

    @Test func theBulkPathRecordsEveryOperationsOutcome() async throws {
        let systems = try Systems(items: 30)
        let settings = { () -> ItemMappingSettings in
            var s = ItemMappingSettings()
            s.bulkThreshold = 10
            return s
        }()
        let (result, products) = try await onThread {
            let conn = try Connection(systems.conninfo)
            let result = try systems.sync(settings).run(conn, mode: .full)
            return (result, systems.commerce.stats["products"])
        }
        #expect(result.created == 30 && result.failed == 0)
        #expect(result.writeCalls == 1)
        #expect(products == 30)
    }
}
