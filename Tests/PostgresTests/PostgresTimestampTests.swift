import Foundation
import Postgres
import Testing

struct PostgresTimestampTests {
    @Test(arguments: [
        ("2024-05-01 12:30:00+00", "2024-05-01T12:30:00.000000Z"),
        ("2024-05-01 12:30:00.1+00", "2024-05-01T12:30:00.100000Z"),
        ("2024-05-01 12:30:00.123456+00", "2024-05-01T12:30:00.123456Z"),
        ("2024-05-01 12:30:00.1234569+00", "2024-05-01T12:30:00.123456Z"),
        ("2024-05-01 18:00:00+05:30", "2024-05-01T12:30:00.000000Z"),
        ("2024-05-01 08:29:50-04:00:10", "2024-05-01T12:30:00.000000Z"),
        ("2024-05-01T12:30:00Z", "2024-05-01T12:30:00.000000Z"),
        ("2024-02-29 00:00:00", "2024-02-29T00:00:00.000000Z"),
        ("1969-12-31 23:59:59.5+00", "1969-12-31T23:59:59.500000Z"),
        ("1900-01-01", "1900-01-01T00:00:00.000000Z"),
        ("0044-03-15 12:00:00+00 BC", "0044-03-15T12:00:00.000000Z BC"),
    ])
    func serverTextParsesToTheSameInstant(text: String, expected: String) throws {
        let date = try #require(PostgresTimestamp.parse(text))
        #expect(PostgresTimestamp.format(date) == expected)
    }

    @Test(arguments: ["", "2024-13-01", "2024-05-01 25:00:00", "2024-05-01 12:30", "yesterday",
                      "2024-05-01 12:30:00+", "2024-05-01 12:30:00.+00", "2024-05-01x"])
    func malformedTextIsRejected(text: String) {
        #expect(PostgresTimestamp.parse(text) == nil)
    }

    @Test func formattingThenParsingKeepsMicroseconds() throws {
        for micros in [0, 1, 999_999, 1_714_566_600_123_456, -1, -2_000_000_000_500_000] as [Int64] {
            let date = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
            let text = PostgresTimestamp.format(date)
            #expect(PostgresTimestamp.format(try #require(PostgresTimestamp.parse(text))) == text)
        }
    }
}
