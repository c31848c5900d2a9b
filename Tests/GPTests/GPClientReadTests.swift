import Foundation
import TestSupport
import Synchronization
import Testing
import GP
import Simulators

/// The GP client reading from the GP simulator over real sockets.
@Suite struct GPClientReadTests {
    @Test func tenThousandItemsArriveInPagesNoLargerThanThePageSize() async throws {
        let fixture = try SimulatorFixture(seed: GPSimulatorSeed(generate: GPSimGenerate(items: 10_000)))
        var settings = GPSettings()
        settings.serverPaging = true
        settings.pageSize = 250
        let client = try fixture.client(settings: settings)
        let (summary, sizes, distinct) = try await onThread { () -> (GPReadSummary, [Int], Int) in
            var sizes: [Int] = []
            var seen = Set<String>()
            let summary = try client.readItems { page in
                sizes.append(page.count)
                for item in page { seen.insert(item.itemNumber) }
            }
            return (summary, sizes, seen.count)
        }
        #expect(distinct == 10_000)
        #expect(summary.recordsDelivered == 10_000)
        #expect(sizes.allSatisfy { $0 <= 250 })
        #expect(sizes.count == 40)
        // 40 full pages, then one empty page that ends the read: never one big request.
        #expect(summary.requests == 41)
        #expect(fixture.sim.stats.requests == 41)
    }

    @Test func withoutServerPagingOneAnswerIsStillHandedOutPageByPage() async throws {
        let fixture = try SimulatorFixture(seed: GPSimulatorSeed(generate: GPSimGenerate(items: 1_234)))
        var settings = GPSettings()
        settings.pageSize = 100
        let client = try fixture.client(settings: settings)
        let (summary, sizes) = try await onThread { () -> (GPReadSummary, [Int]) in
            var sizes: [Int] = []
            let summary = try client.readItems { sizes.append($0.count) }
            return (summary, sizes)
        }
        #expect(summary.requests == 1)
        #expect(sizes == Array(repeating: 100, count: 12) + [34])
    }

    @Test func aServerThatIgnoresPagingIsDetectedAndReadOnce() async throws {
        let fixture = try SimulatorFixture(configure: { $0.paging = false }, seed: GPSimulatorSeed(generate: GPSimGenerate(items: 300)))
        var settings = GPSettings()
        settings.serverPaging = true
        settings.pageSize = 50
        let client = try fixture.client(settings: settings)
        let (summary, sizes) = try await onThread { () -> (GPReadSummary, [Int]) in
            var sizes: [Int] = []
            let summary = try client.readItems { sizes.append($0.count) }
            return (summary, sizes)
        }
        #expect(summary.requests == 1)
        #expect(summary.recordsDelivered == 300)
        #expect(sizes.allSatisfy { $0 <= 50 })
    }

    @Test(arguments: [true, false])
    func anIncrementalReadReturnsTheOverlapWhetherTheServerFiltersOrNot(_ serverFilter: Bool) async throws {
        // 100 items over 10 days ending 2024-05-10: 10 items per day.
        let fixture = try SimulatorFixture(seed: GPSimulatorSeed(generate: GPSimGenerate(items: 100, spreadDays: 10, lastModified: "2024-05-10")))
        var settings = GPSettings()
        settings.serverModifiedFilter = serverFilter
        settings.serverPaging = true
        settings.pageSize = 7
        let client = try fixture.client(settings: settings)
        let (summary, dates) = try await onThread { () -> (GPReadSummary, [GPDate]) in
            var dates: [GPDate] = []
            let summary = try client.readItems(modifiedSince: GPDate(year: 2024, month: 5, day: 9)!) { page in
                dates += page.compactMap(\.modifiedDate)
            }
            return (summary, dates)
        }
        // Watermark 05-09 with one day of overlap reads 05-08, 05-09 and 05-10.
        #expect(summary.readFrom == GPDate(year: 2024, month: 5, day: 8))
        #expect(dates.count == 30)
        #expect(dates.allSatisfy { $0 >= GPDate(year: 2024, month: 5, day: 8)! })
        #expect(summary.newestModified == GPDate(year: 2024, month: 5, day: 10))
        #expect(summary.recordsRead == (serverFilter ? 30 : 100))
    }

    @Test func pricesSitesCustomersAndAddressesAreReadAndFiltered() async throws {
        let fixture = try SimulatorFixture(seed: SimulatorFixture.seed)
        let client = try fixture.client()
        try await onThread { () throws -> Void in
            var prices: [GPItemPrice] = []
            try client.readItemPrices(priceLevel: "retail") { prices += $0 }
            #expect(prices.map(\.unitPrice) == [Decimal(string: "19.99")!])
            var sites: [GPItemSite] = []
            try client.readItemSites(sites: ["MAIN", "east"]) { sites += $0 }
            #expect(sites.map(\.siteId).sorted() == ["EAST", "MAIN"])
            #expect(sites.reduce(Decimal(0)) { $0 + $1.quantityAvailable } == 13)
            var customers: [GPCustomer] = []
            try client.readCustomers { customers += $0 }
            #expect(customers.map(\.customerId) == ["AARONFIT0001", "GONE0001", "HOLD0001"])
            #expect(customers.first?.email == "aaron@example.com")
            var addresses: [GPCustomerAddress] = []
            try client.readCustomerAddresses { addresses += $0 }
            #expect(addresses.first?.city == "Redmond")
            var items: [GPItem] = []
            try client.readItems { items += $0 }
            #expect(items.first { $0.itemNumber == "OLDPART" }?.isDiscontinued == true)
        }
    }

    @Test func singleRecordsAreFoundByEncodedKeysAndMissingOnesAreNil() async throws {
        let fixture = try SimulatorFixture(seed: SimulatorFixture.seed)
        let client = try fixture.client()
        try await onThread { () throws -> Void in
            #expect(try client.item("128 SDRAM")?.description == "128 meg SDRAM")
            #expect(try client.item("A;B(1)")?.description == "Odd key")
            #expect(try client.item("NOPE") == nil)
            #expect(try client.customer("aaronfit0001")?.name == "Aaron Fitz Electrical")
            #expect(try client.customerAddress(customerId: "AARONFIT0001", addressId: "PRIMARY")?.line1 == "One Microsoft Way")
            #expect(try client.customerAddress(customerId: "AARONFIT0001", addressId: "SHIP") == nil)
        }
    }

    @Test func nonDefaultSettingsWorkAgainstAServerConfiguredTheSameWay() async throws {
        let fixture = try SimulatorFixture(configure: { c in
            c.envelope = false
            c.paths.items = "Inventory/ItemList"
            c.skipParameter = "$skip"
            c.takeParameter = "$top"
        }, seed: GPSimulatorSeed(generate: GPSimGenerate(items: 30, customers: 1)))
        var settings = GPSettings()
        settings.envelopeOnReads = false
        settings.envelopeOnWrites = false
        settings.jsonSuffix = true
        settings.paths.items = "Inventory/ItemList"
        settings.serverPaging = true
        settings.skipParameter = "$skip"
        settings.takeParameter = "$top"
        settings.pageSize = 8
        settings.receivablesKey = .typeAndNumber
        settings.dateStyle = .wcf
        let client = try fixture.client(settings: settings)
        try await onThread { () throws -> Void in
            var count = 0
            let summary = try client.readItems { count += $0.count }
            #expect(count == 30)
            #expect(summary.requests == 4)
            try client.createReceivablesInvoice(SimulatorFixture.invoice("CFG1", customer: "CUST000001"))
            #expect(try client.receivablesInvoice(documentNumber: "CFG1")?.documentDate == GPDate(year: 2024, month: 5, day: 10))
        }
    }

    @Test func aWrongEnvelopeSettingIsReportedNotMisread() async throws {
        let fixture = try SimulatorFixture(seed: SimulatorFixture.seed)
        var settings = GPSettings()
        settings.envelopeOnReads = false
        let client = try fixture.client(settings: settings)
        await #expect(throws: GPError.self) {
            try await onThread { try client.readItems { _ in } }
        }
    }

    @Test func theGateCapsConcurrentCallsAtTheTenantLimit() async throws {
        let fixture = try SimulatorFixture(configure: { $0.latencyMs = 30 }, seed: SimulatorFixture.seed)
        let gate = LocalGPCallGate(defaultLimit: 2)
        let client = try fixture.client(gate: gate)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    try await onThread { () throws -> Void in
                        for _ in 0..<3 { _ = try client.customer("AARONFIT0001") }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(fixture.sim.stats.requests == 18)
        #expect(fixture.sim.stats.peakConcurrent <= 2)
        #expect(fixture.sim.stats.peakConcurrent >= 1)
        #expect(gate.inFlight(tenant: "t1") == 0)
    }

    @Test func pingReportsSuccessAndAPlainAuthenticationError() async throws {
        let fixture = try SimulatorFixture(seed: SimulatorFixture.seed)
        var settings = GPSettings()
        settings.serverPaging = true
        let good = try fixture.client(settings: settings)
        let bad = try fixture.client(settings: settings, password: "wrong")
        let (ok, failed) = try await onThread { (good.ping(), bad.ping()) }
        #expect(ok.ok)
        #expect(ok.checked == ["help", "first_customer"])
        #expect(ok.error == nil)
        #expect(!failed.ok)
        #expect(failed.error == .authenticationFailed)
        #expect(failed.error?.message.contains("wrong") == false)
    }
}
