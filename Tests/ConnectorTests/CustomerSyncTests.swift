import Commerce
import Connector
import Foundation
import GP
import Postgres
import Testing

@Suite(.serialized) struct CustomerSyncTests {
    static let day = GPDate(year: 2026, month: 11, day: 20)!

    func sync(_ pages: [CustomerPage], _ commerce: MemoryCommerceCustomers) -> CustomerSync {
        CustomerSync(tenant: "acme", settings: CustomerMappingSettings(), source: ListCustomerSource(pages: pages, newest: Self.day),
                     writer: commerce)
    }

    func record(_ conn: Connection, _ id: String) throws -> SyncRecord? {
        try RecordStore().record(conn, RecordKey(tenant: "acme", entity: .customer, sourceKey: id))
    }

    @Test func customersAreCreatedOnceAndFoundByEmailForOrders() throws {
        let conn = try FlowsDatabase.connection("customers_create")
        let commerce = MemoryCommerceCustomers()
        let page = CustomerFixtures.page([CustomerFixtures.customer("C1", email: "One@Example.com"),
                                          CustomerFixtures.customer("C2", email: nil)])
        let first = try sync([page], commerce).run(conn, mode: .incremental)
        #expect(first.created == 1 && first.skipped == 1 && first.watermark == "2026-11-20")
        let second = try sync([page], commerce).run(conn, mode: .incremental)
        #expect(second.unchanged == 1 && second.skipped == 1 && second.writeCalls == 0)
        #expect(commerce.writes == 1)
        let c1 = try #require(try record(conn, "C1"))
        #expect(c1.status == .synced && c1.targetKey == "1" && c1.matchKey == "one@example.com")
        #expect(commerce.accounts[1]?.customAttributes?[code: "gp_customer_id"] == "C1")
        #expect(try record(conn, "C2")?.lastError?.code == "no_email")
        #expect(try RecordStore().record(conn, tenant: "acme", entity: .customer, matchKey: "one@example.com")?.sourceKey == "C1")
    }

    @Test func anExistingAccountWithTheSameEmailIsAdoptedNotDuplicated() throws {
        let conn = try FlowsDatabase.connection("customers_adopt")
        let commerce = MemoryCommerceCustomers()
        let existing = commerce.seed(email: "one@example.com")
        let result = try sync([CustomerFixtures.page([CustomerFixtures.customer("C1", email: "one@example.com")])], commerce)
            .run(conn, mode: .full)
        #expect(result.updated == 1 && result.created == 0)
        #expect(commerce.accounts.count == 1)
        #expect(commerce.accounts[existing]?.customAttributes?[code: "gp_customer_id"] == "C1")
        let rec = try #require(try record(conn, "C1"))
        #expect(try RecordStore().auditTrail(conn, recordID: rec.id).map(\.code) == ["matched_by_email"])
    }

    @Test func anAccountOwnedByAnotherGPCustomerIsAConflict() throws {
        let conn = try FlowsDatabase.connection("customers_conflict")
        let commerce = MemoryCommerceCustomers()
        _ = commerce.seed(email: "shared@example.com", gpId: "OTHER")
        let result = try sync([CustomerFixtures.page([CustomerFixtures.customer("C1", email: "shared@example.com")])], commerce)
            .run(conn, mode: .full)
        #expect(result.failed == 1 && commerce.writes == 0)
        let rec = try #require(try record(conn, "C1"))
        #expect(rec.status == .conflict && rec.lastError?.code == "email_belongs_to_other_customer")
    }

    @Test func anAccountDeletedInCommerceIsCreatedAgain() throws {
        let conn = try FlowsDatabase.connection("customers_deleted")
        let commerce = MemoryCommerceCustomers()
        _ = try sync([CustomerFixtures.page([CustomerFixtures.customer("C1", email: "one@example.com")])], commerce).run(conn, mode: .full)
        commerce.accounts = [:]
        let changed = CustomerFixtures.page([CustomerFixtures.customer("C1", email: "new@example.com")])
        let result = try sync([changed], commerce).run(conn, mode: .full)
        #expect(result.created == 1)
        let rec = try #require(try record(conn, "C1"))
        #expect(rec.targetKey == "2" && rec.matchKey == "new@example.com")
    }
}
