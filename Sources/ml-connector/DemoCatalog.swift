import Foundation
import HTTPServer
import Simulators

/// The demo's GP company: a small furniture wholesaler with a few hundred items at two sites, a
/// few dozen customers, one customer on credit hold, one billing in euros, and last month's
/// fiscal period closed — enough to show every path of the flows.
enum DemoCatalog {
    static let gpUser = #"DEMO\svc-gp"#
    static let gpPassword = "Demo-Passw0rd"
    static let onHoldEmail = "hold.buyer@example.com"
    static let onHoldCustomer = "HOLDCO0001"
    static let euroEmail = "marie.dupont@example.fr"
    static let euroCustomer = "DUPONT0001"
    static let euroRate: Decimal = 1.085

    static let materials = ["Oak", "Walnut", "Maple", "Ash", "Steel", "Brass", "Linen", "Wool", "Rattan", "Marble",
                            "Teak", "Cherry", "Birch", "Leather", "Velvet"]
    static let products = ["Desk", "Chair", "Bookshelf", "Side Table", "Floor Lamp", "Bench", "Stool", "Cabinet",
                           "Coffee Table", "Mirror", "Sideboard", "Armchair", "Nightstand", "Dresser", "Coat Rack",
                           "Planter", "Wall Shelf", "Console", "Ottoman", "Headboard"]
    static let firstNames = ["Ava", "Ben", "Chloe", "Daniel", "Emma", "Felix", "Grace", "Henry", "Isla", "Jack", "Kate",
                             "Liam", "Mia", "Noah", "Olivia", "Paul", "Quinn", "Ruby", "Sam", "Tara", "Umar", "Vera",
                             "Will", "Xena", "Yusuf", "Zoe", "Aaron", "Bella", "Carl", "Dina", "Eli", "Fay", "Gus",
                             "Hana", "Ivan", "June"]
    static let lastNames = ["Fitzgerald", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Rossi", "Schmidt",
                            "Walsh", "Haddad", "Kowalski", "Silva"]
    static let cities = [("Chicago", "IL", "60601"), ("Austin", "TX", "78701"), ("Denver", "CO", "80202"),
                         ("Seattle", "WA", "98101"), ("Boston", "MA", "02108"), ("Portland", "OR", "97201")]

    static func sku(_ i: Int) -> String { String(format: "FRN-%04d", i + 1) }

    static func price(_ i: Int) -> Double { Double(2900 + (i * 1337) % 87_000) / 100 }

    static func email(_ i: Int) -> String {
        "\(firstNames[i % firstNames.count]).\(lastNames[i % lastNames.count])".lowercased() + "@example.com"
    }

    static func seed(items: Int, customers: Int, today: Date = Date()) -> GPSimulatorSeed {
        let day = Self.day(today)
        var itemRows: [[String: JSONValue]] = [], prices: [[String: JSONValue]] = [], sites: [[String: JSONValue]] = []
        for i in 0..<items {
            let name = "\(materials[i % materials.count]) \(products[(i / materials.count) % products.count])"
            let variant = i / (materials.count * products.count)
            let discontinued = i % 61 == 60
            itemRows.append([
                "ItemNumber": .string(sku(i)), "Description": .string(variant == 0 ? name : "\(name) (large)"),
                "ShortDescription": .string(String(name.prefix(15))), "ClassId": .string("FURNITURE"),
                "Type": .string(discontinued ? "Discontinued" : "SalesInventory"), "IsInactive": .bool(false),
                "ShippingWeight": .double(Double(2 + (i * 7) % 40)), "ModifiedDate": .string(day),
            ])
            prices.append(["ItemNumber": .string(sku(i)), "PriceLevel": .string("RETAIL"), "UofM": .string("Each"),
                           "CurrencyId": .string("USD"), "UnitPrice": .double(price(i)), "ModifiedDate": .string(day)])
            for (s, site) in ["MAIN", "EAST"].enumerated() {
                sites.append(["ItemNumber": .string(sku(i)), "SiteId": .string(site),
                              "QuantityOnHand": .int((i * 11 + s * 5) % 60), "QuantityAllocated": .int(i % 4),
                              "ModifiedDate": .string(day)])
            }
        }
        var customerRows: [[String: JSONValue]] = [], addresses: [[String: JSONValue]] = []
        func add(_ id: String, name: String, email: String, currency: String = "USD", hold: Bool = false,
                 city: (String, String, String), country: String = "USA") {
            customerRows.append([
                "CustomerId": .string(id), "Name": .string(name), "ClassId": .string("RETAIL"), "IsOnHold": .bool(hold),
                "IsActive": .bool(true), "CurrencyId": .string(currency), "PriceLevel": .string("RETAIL"),
                "DefaultAddressId": .string("PRIMARY"), "Email": .string(email), "ModifiedDate": .string(day),
            ])
            addresses.append([
                "CustomerId": .string(id), "AddressId": .string("PRIMARY"), "ContactPerson": .string(name),
                "Line1": .string("\(100 + customerRows.count) Market Street"), "City": .string(city.0),
                "State": .string(city.1), "PostalCode": .string(city.2), "CountryRegion": .string(country),
                "Phone1": .string("555010\(customerRows.count % 10)"), "Email": .string(email), "ModifiedDate": .string(day),
            ])
        }
        for i in 0..<customers {
            let name = "\(firstNames[i % firstNames.count]) \(lastNames[i % lastNames.count])"
            add(String(format: "CUST%04d", i + 1), name: name, email: email(i), city: cities[i % cities.count])
        }
        add(onHoldCustomer, name: "Holdover Interiors", email: onHoldEmail, hold: true, city: cities[0])
        add(euroCustomer, name: "Marie Dupont", email: euroEmail, currency: "EUR", city: ("Paris", "", "75001"), country: "France")
        return GPSimulatorSeed(functionalCurrency: "USD", exchangeRates: ["EUR": euroRate],
                               closedPeriods: [closedPeriod(today)], items: itemRows, itemPrices: prices, itemSites: sites,
                               customers: customerRows, customerAddresses: addresses)
    }

    /// Last month, closed for Sales (orders post today, so none of them hit it).
    static func closedPeriod(_ today: Date) -> GPSimClosedPeriod {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let startOfMonth = calendar.date(from: calendar.dateComponents([.year, .month], from: today))!
        let lastMonth = calendar.date(byAdding: .month, value: -1, to: startOfMonth)!
        let lastDay = calendar.date(byAdding: .day, value: -1, to: startOfMonth)!
        return GPSimClosedPeriod(from: day(lastMonth), to: day(lastDay))
    }

    static func day(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: date)
    }
}
