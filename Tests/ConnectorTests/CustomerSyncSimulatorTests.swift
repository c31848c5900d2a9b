import Commerce
import Connector
import Foundation
import TestSupport
import GP
import Postgres
import Simulators
import Testing

/// Customers end to end, then an order of one of them: the GP id the sync stored on the Commerce
/// account is how the order finds its GP customer.
@Suite(.serialized) struct CustomerSyncSimulatorTests {
    @Test func syncedCustomersCarryTheirGPIdAndTheirOrdersPostAgainstIt() async throws {
        let systems = try ConnectedSystems("customers_sim", seed: GPSimulatorSeed(
            functionalCurrency: "USD", generate: GPSimGenerate(customers: 8)), today: "2026-11-20")
        let (first, second, requests, outcome, documents, resolution) = try await onThread {
            let conn = try Connection(systems.conninfo)
            let sync = CustomerSync(tenant: "acme", settings: CustomerMappingSettings(),
                                    source: GPCustomerPageSource(client: try systems.gpClient()),
                                    writer: CommerceCustomerWriter(client: systems.commerceClient()))
            let first = try sync.run(conn, mode: .incremental)
            let before = systems.commerceRequests
            let second = try sync.run(conn, mode: .full)
            let requests = systems.commerceRequests - before
            let increment = try OrderPostingSimulatorTests.placeAndInvoice(systems.commerce, email: "Customer3@Example.com")
            let outcome = try OrderPostingSimulatorTests.postingRun(systems).run(
                conn, .init(incrementId: increment, event: .invoiceCaptured, arrivedVia: .webhook))
            let record = try RecordStore().record(conn, RecordKey(tenant: "acme", entity: .order, sourceKey: increment))
            let resolution = try record.map { try RecordStore().auditTrail(conn, recordID: $0.id) }?
                .first { $0.code == "customer_resolved" }?.message
            return (first, second, requests, outcome, systems.gp.store.documents, resolution)
        }
        #expect(first.created == 8 && first.failed == 0 && first.skipped == 0)
        #expect(second.unchanged == 8 && second.writeCalls == 0 && requests == 0)
        guard case .posted = outcome else { Issue.record("\(outcome)"); return }
        #expect(documents.map(\.customerId) == ["CUST000003"])
        #expect(resolution == "GP customer CUST000003 (by commerce_attribute).")
    }
}
