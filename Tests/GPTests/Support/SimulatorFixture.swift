import Foundation
import GP
import HTTPClient
import Simulators
import TestSupport

/// A GP simulator on an ephemeral loopback port, with Basic auth, and clients pointed at it.
final class SimulatorFixture: Sendable {
    static let user = "CONTOSO\\svc-gp"
    static let password = "s3cret-Pa55"
    static let company = "Fabrikam, Inc."

    let sim: GPSimulator

    init(configure: (inout GPSimulatorConfiguration) -> Void = { _ in }, seed: GPSimulatorSeed? = nil) throws {
        var config = GPSimulatorConfiguration()
        config.users = [Self.user: Self.password]
        config.today = "2024-05-10"
        configure(&config)
        sim = try GPSimulator(configuration: config, seed: seed)
        try sim.start(host: "127.0.0.1", port: 0)
    }

    deinit { sim.stop() }

    func transport(user: String = SimulatorFixture.user, password: String = SimulatorFixture.password) -> any GPTransport {
        GPDirectTransport(auth: .basic(user: user, password: password))
    }

    func client(settings: GPSettings = GPSettings(), company: String = SimulatorFixture.company,
                password: String = SimulatorFixture.password, gate: any GPCallGate = UnlimitedGPCallGate()) throws -> GPClient {
        GPClient(company: try GPCompany(url: sim.companyURL(company: company)), settings: settings,
                 transport: transport(password: password), gate: gate, tenant: "t1")
    }

    /// A small, known data set.
    static let seed = GPSimulatorSeed(
        functionalCurrency: "USD", exchangeRates: ["CAD": Decimal(string: "1.36")!],
        closedPeriods: [GPSimClosedPeriod(from: "2024-01-01", to: "2024-01-31")],
        items: [
            ["ItemNumber": "128 SDRAM", "Description": "128 meg SDRAM", "Type": "SalesInventory", "CurrentCost": 10.5, "ModifiedDate": "2024-05-09"],
            ["ItemNumber": "A;B(1)", "Description": "Odd key", "ModifiedDate": "2024-04-01"],
            ["ItemNumber": "OLDPART", "Description": "Gone", "Type": "Discontinued", "ModifiedDate": "2024-05-10"],
        ],
        itemPrices: [
            ["ItemNumber": "128 SDRAM", "PriceLevel": "RETAIL", "UofM": "Each", "CurrencyId": "USD", "UnitPrice": 19.99, "ModifiedDate": "2024-05-09"],
            ["ItemNumber": "128 SDRAM", "PriceLevel": "WHOLESALE", "UofM": "Each", "CurrencyId": "USD", "UnitPrice": 15.5, "ModifiedDate": "2024-05-09"],
        ],
        itemSites: [
            ["ItemNumber": "128 SDRAM", "SiteId": "MAIN", "QuantityOnHand": 12, "QuantityAllocated": 2],
            ["ItemNumber": "128 SDRAM", "SiteId": "EAST", "QuantityOnHand": 3],
            ["ItemNumber": "128 SDRAM", "SiteId": "WEST", "QuantityOnHand": 99],
        ],
        customers: [
            ["CustomerId": "AARONFIT0001", "Name": "Aaron Fitz Electrical", "IsOnHold": false, "IsActive": true, "Email": "aaron@example.com"],
            ["CustomerId": "HOLD0001", "Name": "On Hold Ltd", "IsOnHold": true, "IsActive": true],
            ["CustomerId": "GONE0001", "Name": "Inactive Inc", "IsOnHold": false, "IsActive": false],
        ],
        customerAddresses: [
            ["CustomerId": "AARONFIT0001", "AddressId": "PRIMARY", "Line1": "One Microsoft Way", "City": "Redmond", "State": "WA"],
        ])

    static func invoice(_ number: String, customer: String = "AARONFIT0001", date: GPDate = GPDate(year: 2024, month: 5, day: 10)!,
                        sales: String = "100.00", currency: String? = nil, rate: String? = nil) -> ReceivablesInvoice {
        ReceivablesInvoice(documentNumber: number, customerId: customer, batchId: "WEB20240510", documentDate: date,
                           description: "Order \(number)", salesAmount: Decimal(string: sales)!,
                           freightAmount: Decimal(string: "4.95")!, taxAmount: Decimal(string: "8.25")!,
                           tradeDiscountAmount: Decimal(string: "5.00")!, currencyId: currency,
                           exchangeRate: rate.flatMap { Decimal(string: $0) })
    }
}
