import Foundation
import Testing
@testable import GP

@Suite struct GPDateTests {
    @Test(arguments: [
        ("2024-05-01", "2024-05-01"),
        ("2024-05-01T00:00:00", "2024-05-01"),
        ("2024-05-01T23:59:59.997Z", "2024-05-01"),
        ("2024-02-29T00:00:00+02:00", "2024-02-29"),
        ("/Date(1714521600000)/", "2024-05-01"),
        ("/Date(1714521600000+0000)/", "2024-05-01"),
    ])
    func gpDatesAreReadAsDaysWhateverTheirForm(_ text: String, _ day: String) {
        #expect(GPDate(parsing: text)?.description == day)
    }

    @Test(arguments: ["", "2024-13-01", "2023-02-29", "2024/05/01", "20240501", "2024-05-01X", "yesterday"])
    func textThatIsNotADateIsRefused(_ text: String) {
        #expect(GPDate(parsing: text) == nil)
    }

    @Test func theOverlapMovesBackAcrossMonthsAndYears() {
        #expect(GPDate(year: 2024, month: 3, day: 1)!.adding(days: -1).description == "2024-02-29")
        #expect(GPDate(year: 2024, month: 1, day: 1)!.adding(days: -1).description == "2023-12-31")
    }

    @Test(arguments: [
        (GPDateStyle.isoDate, "\"2024-05-01\""),
        (.isoDateTime, "\"2024-05-01T00:00:00\""),
        (.wcf, "\"\\/Date(1714521600000)\\/\""),
    ])
    func bodyDatesFollowTheDateStyleSetting(_ style: GPDateStyle, _ json: String) throws {
        let encoder = JSONEncoder()
        encoder.userInfo[.gpDateStyle] = style
        let text = String(decoding: try encoder.encode(GPDate(year: 2024, month: 5, day: 1)!), as: UTF8.self)
        #expect(text == json)
    }
}

@Suite struct GPSettingsTests {
    @Test func storedSettingsKeepDefaultsForMissingFields() throws {
        let json = #"{"server_paging": true, "page_size": 250, "paths": {"items": "Inventory/ItemList"}}"#
        let settings = try JSONDecoder().decode(GPSettings.self, from: Data(json.utf8))
        #expect(settings.serverPaging)
        #expect(settings.pageSize == 250)
        #expect(settings.paths.items == "Inventory/ItemList")
        #expect(settings.paths.customers == "Sales/Customers")
        #expect(settings.envelopeOnReads)
        #expect(settings.envelopeKey == "Payload")
        #expect(!settings.serverModifiedFilter)
        #expect(!settings.jsonSuffix)
        #expect(settings.modifiedOverlapDays == 1)
    }

    @Test func settingsRoundTripThroughJSON() throws {
        var settings = GPSettings()
        settings.jsonSuffix = true
        settings.receivablesKey = .typeAndNumber
        settings.dateStyle = .wcf
        let again = try JSONDecoder().decode(GPSettings.self, from: JSONEncoder().encode(settings))
        #expect(again == settings)
    }

    @Test func aZeroPageSizeBecomesOne() throws {
        let settings = try JSONDecoder().decode(GPSettings.self, from: Data(#"{"page_size": 0}"#.utf8))
        #expect(settings.pageSize == 1)
    }
}
