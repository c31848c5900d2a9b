import Foundation
import TestSupport
import HTTPClient
import Testing
import GP
import Simulators

/// The simulator's admin endpoints and SBA surface, over HTTP.
@Suite struct GPSimulatorAdminTests {
    func call(_ fixture: SimulatorFixture, _ method: String, _ path: String, _ json: String? = nil,
              auth: Bool = false) async throws -> GPResponse {
        let transport = auth ? fixture.transport() : GPDirectTransport(auth: .none)
        let request = GPRequest(method: method, url: fixture.sim.baseURL + path,
                                headers: json == nil ? [] : [GPHeader("Content-Type", "application/json")],
                                body: json.map { Data($0.utf8) }, timeout: 10)
        return try await onThread { try transport.send(request) }
    }

    func object(_ response: GPResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: response.body) as? [String: Any] ?? [:]
    }

    @Test func faultsStatsAndDocumentsAreDrivenOverHTTP() async throws {
        let fixture = try SimulatorFixture(seed: SimulatorFixture.seed)
        let client = try fixture.client()
        let set = try await call(fixture, "POST", "/_sim/faults", #"{"fail_next": 1, "fail_status": 503}"#)
        #expect(set.status == 200)
        let companyPath = "/GPService/Tenants(DefaultTenant)/Companies(Fabrikam%2C%20Inc.)/Sales/Customers"
        #expect(try await call(fixture, "GET", companyPath, auth: true).status == 503)
        #expect(try await call(fixture, "GET", companyPath, auth: true).status == 200)
        try await onThread { try client.createReceivablesInvoice(SimulatorFixture.invoice("ADM1")) }
        let documents = try JSONSerialization.jsonObject(with: try await call(fixture, "GET", "/_sim/documents").body) as? [[String: Any]]
        #expect(documents?.first?["DocumentNumber"] as? String == "ADM1")
        let stats = try object(try await call(fixture, "GET", "/_sim/stats"))
        #expect(stats["requests"] as? Int == 3)
        #expect(stats["peak_concurrent_requests"] as? Int == 1)
        #expect(try await call(fixture, "DELETE", "/_sim/faults").status == 200)
    }

    @Test func recordsChangedThroughTheAdminAPIShowUpInAnIncrementalRead() async throws {
        let fixture = try SimulatorFixture(seed: SimulatorFixture.seed)
        let added = try await call(fixture, "POST", "/_sim/records/customers",
                                   #"[{"CustomerId": "NEW0001", "Name": "New Customer"}]"#)
        #expect(added.status == 200)
        #expect(try object(added)["customers"] as? Int == 4)
        let client = try fixture.client()
        let changed = try await onThread { () throws -> [GPCustomer] in
            var out: [GPCustomer] = []
            try client.readCustomers(modifiedSince: GPDate(year: 2024, month: 5, day: 10)) { out += $0 }
            return out
        }
        // The fixture's simulator date is 2024-05-10; seeded customers without a date got it too.
        #expect(changed.contains { $0.customerId == "NEW0001" && $0.modifiedDate == GPDate(year: 2024, month: 5, day: 10) })
    }

    @Test func rulesTablesChangeOverHTTP() async throws {
        let fixture = try SimulatorFixture(seed: SimulatorFixture.seed)
        let client = try fixture.client()
        #expect(try await call(fixture, "PUT", "/_sim/exchange-rates/EUR", #"{"rate": 1.1}"#).status == 204)
        #expect(try await call(fixture, "POST", "/_sim/closed-periods", #"{"from": "2024-05-01", "to": "2024-05-31"}"#).status == 204)
        let closed = try await onThread { () throws -> GPError? in
            do { try client.createReceivablesInvoice(SimulatorFixture.invoice("EUR1", currency: "EUR")); return nil } catch let e as GPError { return e }
        }
        #expect(closed?.code == "gp_fiscal_period_closed")
        #expect(try await call(fixture, "DELETE", "/_sim/closed-periods").status == 204)
        try await onThread { try client.createReceivablesInvoice(SimulatorFixture.invoice("EUR1", currency: "EUR")) }
        #expect(fixture.sim.postedDocuments.first?.exchangeRate == Decimal(string: "1.1"))
    }

    @Test func aSeedCanReplaceTheDataOverHTTP() async throws {
        let fixture = try SimulatorFixture(seed: SimulatorFixture.seed)
        let response = try await call(fixture, "POST", "/_sim/seed", #"{"generate": {"items": 25, "customers": 3}}"#)
        #expect(response.status == 200)
        let counts = try object(response)
        #expect(counts["items"] as? Int == 25)
        #expect(counts["customers"] as? Int == 3)
        #expect(try await call(fixture, "POST", "/_sim/seed", #"{"customers": [{"Name": "no id"}]}"#).status == 400)
    }

    @Test func theHelpPageAndResourcesNeedBasicAuth() async throws {
        let fixture = try SimulatorFixture(seed: SimulatorFixture.seed)
        let denied = try await call(fixture, "GET", "/GPService/Tenants(DefaultTenant)/help")
        #expect(denied.status == 401)
        #expect(denied.header("WWW-Authenticate")?.hasPrefix("Basic") == true)
        let help = try await call(fixture, "GET", "/GPService/Tenants(DefaultTenant)/help", auth: true)
        #expect(help.status == 200)
        #expect(String(decoding: help.body, as: UTF8.self).contains("Sales/Receivables/Transactions"))
        let put = try await call(fixture, "PUT", "/GPService/Tenants(DefaultTenant)/Companies(X)/Sales/Customers(A)", "{}", auth: true)
        #expect(put.status == 405)
    }

    @Test func aSeedFileLoadsRecordsAndRules() throws {
        let path = try TestFiles.write("seed.json", """
        {"functional_currency": "USD", "exchange_rates": {"EUR": 1.08},
         "closed_periods": [{"from": "2024-01-01", "to": "2024-01-31"}],
         "items": [{"ItemNumber": "ITEM-1", "Description": "Widget", "ModifiedDate": "2024-05-01"}],
         "customers": [{"CustomerId": "AARONFIT0001", "Name": "Aaron Fitz"}],
         "generate": {"items": 10, "customers": 2}}
        """)
        let sim = try GPSimulator(seed: GPSimulatorSeed.load(path: path))
        #expect(sim.store.count(.items) == 11)
        #expect(sim.store.count(.customers) == 3)
        #expect(sim.store.count(.itemSites) == 20)
    }
}
