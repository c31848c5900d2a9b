import Foundation

/// GP keeps the country as free text (`USA`, `United States`, `Canada`); Commerce needs ISO 3166
/// alpha-2. A two-letter value is taken as is; known spellings are looked up; anything else falls
/// back to the tenant's default country.
enum CountryCode {
    static let builtIn: [String: String] = [
        "USA": "US", "UNITED STATES": "US", "UNITED STATES OF AMERICA": "US", "U.S.A.": "US", "U.S.": "US",
        "CANADA": "CA", "CAN": "CA", "MEXICO": "MX", "MEX": "MX",
        "UNITED KINGDOM": "GB", "UK": "GB", "GBR": "GB", "GREAT BRITAIN": "GB", "ENGLAND": "GB",
        "IRELAND": "IE", "GERMANY": "DE", "DEU": "DE", "FRANCE": "FR", "FRA": "FR", "NETHERLANDS": "NL",
        "AUSTRALIA": "AU", "AUS": "AU", "NEW ZEALAND": "NZ", "NZL": "NZ", "SOUTH AFRICA": "ZA", "ZAF": "ZA",
        "SINGAPORE": "SG", "SGP": "SG", "INDIA": "IN", "IND": "IN", "JAPAN": "JP", "JPN": "JP",
    ]

    static func alpha2(_ gp: String?, aliases: [String: String], fallback: String) -> String {
        let key = (gp ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        if key.isEmpty { return fallback }
        if let mapped = aliases.first(where: { $0.key.uppercased() == key })?.value { return mapped.uppercased() }
        if key.count == 2, key.allSatisfy({ $0.isASCII && $0.isLetter }) { return key }
        return builtIn[key] ?? fallback
    }
}
