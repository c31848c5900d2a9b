import Foundation
import HTTPServer
import Testing
@testable import Simulators

/// The simulator's GP rules on their own, without HTTP.
@Suite struct GPSimulatorRulesTests {
    static func store() throws -> GPSimulatorStore {
        let store = GPSimulatorStore(today: { "2024-05-10" })
        try store.load(GPSimulatorSeed(
            functionalCurrency: "USD", exchangeRates: ["CAD": Decimal(string: "1.36")!],
            closedPeriods: [GPSimClosedPeriod(from: "2024-01-01", to: "2024-01-31")],
            customers: [
                ["CustomerId": "AARON", "Name": "Aaron", "IsOnHold": false, "IsActive": true],
                ["CustomerId": "HOLD", "Name": "Held", "IsOnHold": true],
                ["CustomerId": "OLD", "Name": "Old", "IsActive": false],
            ]))
        return store
    }

    static func input(_ number: String = "WEB1", customer: String = "AARON", date: String? = "2024-05-01",
                      sales: String = "100", currency: String? = nil, rate: String? = nil, amount: String? = nil) -> GPSimDocumentInput {
        GPSimDocumentInput(documentType: 1, documentNumber: number, customerId: customer, batchId: "WEB20240501", documentDate: date,
                           salesAmount: Decimal(string: sales), freightAmount: Decimal(string: "5"), taxAmount: Decimal(string: "7.5"),
                           tradeDiscountAmount: Decimal(string: "2.5"), miscellaneousAmount: nil,
                           documentAmount: amount.flatMap { Decimal(string: $0) }, currencyId: currency,
                           exchangeRate: rate.flatMap { Decimal(string: $0) })
    }

    func code(_ r: Result<GPSimDocument, GPSimRejection>) -> String {
        switch r {
        case .success: "ok"
        case .failure(let f): f.code
        }
    }

    @Test func eachRMRuleRefusesItsCase() throws {
        let s = try Self.store()
        #expect(code(s.post(Self.input(), company: "F")) == "ok")
        #expect(code(s.post(Self.input(), company: "F")) == "DuplicateDocument")
        #expect(code(s.post(Self.input("web1"), company: "Other company")) == "DuplicateDocument")
        #expect(code(s.post(Self.input("W2", customer: "NOPE"), company: "F")) == "UnknownCustomer")
        #expect(code(s.post(Self.input("W3", customer: "HOLD"), company: "F")) == "CustomerOnHold")
        #expect(code(s.post(Self.input("W4", customer: "OLD"), company: "F")) == "CustomerInactive")
        #expect(code(s.post(Self.input("W5", date: "2024-01-15"), company: "F")) == "FiscalPeriodClosed")
        #expect(code(s.post(Self.input("W6", currency: "EUR"), company: "F")) == "ExchangeRateMissing")
        #expect(code(s.post(Self.input("W7", currency: "EUR", rate: "0"), company: "F")) == "ExchangeRateMissing")
        #expect(code(s.post(Self.input("W8", currency: "EUR", rate: "1.08"), company: "F")) == "ok")
        #expect(code(s.post(Self.input("W9", currency: "CAD"), company: "F")) == "ok")
        #expect(code(s.post(Self.input("W10", amount: "110.01"), company: "F")) == "DocumentAmountMismatch")
        #expect(code(s.post(Self.input("W11", amount: "110.00"), company: "F")) == "ok")
        #expect(code(s.post(Self.input(String(repeating: "X", count: 18)), company: "F")) == "FieldTooLong")
        #expect(s.documents.map(\.documentNumber) == ["WEB1", "W8", "W9", "W11"])
    }

    @Test func theDocumentAmountIsComputedWhenNotGivenAndDateDefaultsToToday() throws {
        let s = try Self.store()
        guard case .success(let doc) = s.post(Self.input(date: nil, sales: "0.1"), company: "F") else {
            Issue.record("refused"); return
        }
        #expect(doc.documentAmount == Decimal(string: "10.1"))
        #expect(doc.documentDate == "2024-05-10T00:00:00")
        #expect(doc.currencyId == "USD")
    }

    @Test func listsAreInKeyOrderAndHonourModifiedSinceSkipAndTake() throws {
        let s = GPSimulatorStore(today: { "2024-05-10" })
        try s.load(GPSimulatorSeed(generate: GPSimGenerate(items: 50, spreadDays: 10, lastModified: "2024-05-10")))
        let all = s.list(.items, since: nil, skip: nil, take: nil)
        #expect(all.count == 50)
        let numbers = all.compactMap { if case .string(let n)? = $0["ItemNumber"] { n } else { nil } }
        #expect(numbers == numbers.sorted())
        let recent = s.list(.items, since: "2024-05-09", skip: nil, take: nil)
        #expect(recent.count == 10) // days 05-10 and 05-09: 2 of every 10
        #expect(s.list(.items, since: nil, skip: 45, take: 10).count == 5)
        #expect(s.list(.items, since: nil, skip: 0, take: 7).count == 7)
        #expect(s.count(.itemSites) == 100)
    }

    @Test func seededDatesBecomeDateOnlyAndMissingOnesToday() throws {
        let s = GPSimulatorStore(today: { "2024-05-10" })
        try s.load(GPSimulatorSeed(items: [
            ["ItemNumber": "A", "ModifiedDate": "2024-05-01T17:45:12Z"],
            ["ItemNumber": "B"],
        ]))
        #expect(s.get(.items, keys: ["a"])?["ModifiedDate"] == .string("2024-05-01T00:00:00"))
        #expect(s.get(.items, keys: ["B"])?["ModifiedDate"] == .string("2024-05-10T00:00:00"))
    }

    @Test func aSeedRecordWithoutItsKeyIsRefused() {
        let s = GPSimulatorStore(today: { "2024-05-10" })
        #expect(throws: GPSimulatorError.self) { try s.load(GPSimulatorSeed(customers: [["Name": "no id"]])) }
    }

    struct PathCase: Sendable {
        let raw: String
        let expected: SBAPath?
    }

    @Test func sbaPathsAreDecodedSegmentBySegment() {
        let cases: [(String, SBAPath?)] = [
            ("/GPService/Tenants(DefaultTenant)/Companies(Fabrikam%2C%20Inc.)/Inventory/Items",
             SBAPath(tenant: "DefaultTenant", target: .resource(company: "Fabrikam, Inc.", path: "Inventory/Items", keys: nil), jsonSuffix: false)),
            ("/gpservice/Tenants%28DefaultTenant%29/Companies%28COMPA%C3%91IA%20DE%20PRUEBA%29/Sales/Customers(AARON).json",
             SBAPath(tenant: "DefaultTenant", target: .resource(company: "COMPAÑIA DE PRUEBA", path: "Sales/Customers", keys: ["AARON"]), jsonSuffix: true)),
            ("/GPService/Tenants(DefaultTenant)/Companies(Transcontinental%20Capital%20Corportation%20(Bermuda)%20LTD)/Sales/CustomerAddresses(A%3B1;PRIMARY)",
             SBAPath(tenant: "DefaultTenant", target: .resource(company: "Transcontinental Capital Corportation (Bermuda) LTD", path: "Sales/CustomerAddresses", keys: ["A;1", "PRIMARY"]), jsonSuffix: false)),
            ("/GPService/Tenants(DefaultTenant)/Companies(Fabrikam,%20Inc.)/PostingServices/System/Batches%28Sales%20Entry;WEB1%29",
             SBAPath(tenant: "DefaultTenant", target: .resource(company: "Fabrikam, Inc.", path: "PostingServices/System/Batches", keys: ["Sales Entry", "WEB1"]), jsonSuffix: false)),
            ("/GPService/Tenants(T)/help", SBAPath(tenant: "T", target: .help, jsonSuffix: false)),
            ("/GPService/Companies(X)/Inventory/Items", nil),
            ("/GPService/Tenants(T)/Companies(X)", nil),
            ("/GPService/Tenants(T)/Companies(X)/Inventory/Items(A", nil),
        ]
        for (raw, expected) in cases {
            #expect(SBAPath.parse(raw) == expected, "\(raw)")
        }
    }
}
