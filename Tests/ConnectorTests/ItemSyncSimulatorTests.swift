import Commerce
import Connector
import Foundation
import TestSupport
import GP
import HTTPServer
import Postgres
import Simulators
import Testing

/// The item sync end to end: the GP simulator over HTTP → `GPItemPageSource` → mapping → records
/// in PostgreSQL → `CommerceProductWriter` → the Commerce simulator over HTTP.
@Suite(.serialized) struct ItemSyncSimulatorTests {
    final class Systems: @unchecked Sendable {
        let connected: ConnectedSystems
        var gp: GPSimulator { connected.gp }
        var commerce: CommerceSimulator { connected.commerce }
        var conninfo: String { connected.conninfo }
        var commerceRequests: Int { connected.commerceRequests }

        init(items: Int) throws {
            connected = try ConnectedSystems("itemsync_sim", seed: GPSimulatorSeed(
                functionalCurrency: "USD", generate: GPSimGenerate(items: items, priceLevel: "RETAIL", sites: ["MAIN", "EAST"])),
                today: "2026-11-20")
        }

        func sync(_ settings: ItemMappingSettings = ItemMappingSettings(), parallel: Int = 1) throws -> ItemSync {
            ItemSync(tenant: "acme", settings: settings,
                     source: GPItemPageSource(client: try connected.gpClient(), settings: settings),
                     writer: CommerceProductWriter(client: connected.commerceClient(), maxParallelCalls: parallel,
                                                   bulkPollInterval: 0.05, bulkTimeout: 30))
        }
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

    @Test func parallelWritesStopOnRateLimitingAndTheRetryCompletesTheSync() async throws {
        let systems = try Systems(items: 40)
        let (failure, watermark, retried, products) = try await onThread {
            let conn = try Connection(systems.conninfo)
            systems.commerce.injectRateLimit(count: 1, retryAfterSeconds: 30)
            var failure: CommerceError?
            do { _ = try systems.sync(parallel: 3).run(conn, mode: .incremental) } catch let error as CommerceError { failure = error }
            let watermark = try WatermarkStore().watermark(conn, tenant: "acme", entity: ItemSync.watermarkEntity)
            let retried = try systems.sync(parallel: 3).run(conn, mode: .incremental)
            return (failure, watermark, retried, systems.commerce.stats["products"])
        }
        #expect(failure == .rateLimited(retryAfter: 30))
        #expect(watermark == nil)
        #expect(retried.created == 40 && retried.failed == 0)
        #expect(products == 40)
    }
}
