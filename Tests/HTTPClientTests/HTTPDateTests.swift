import HTTPClient
import Testing

@Suite("HTTP-date parsing (pure)")
struct HTTPDateTests {
    @Test(arguments: [
        ("Sun, 06 Nov 1994 08:49:37 GMT", Int64(784_111_777)),
        ("Sunday, 06-Nov-94 08:49:37 GMT", 784_111_777),
        ("Sun Nov  6 08:49:37 1994", 784_111_777),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0),
        ("Thu, 29 Feb 2024 00:00:00 GMT", 1_709_164_800),
        ("Tue, 14 Nov 2023 22:13:20 GMT", 1_700_000_000),
        ("Friday, 31-Dec-99 23:59:59 GMT", 946_684_799),
        ("Sat, 01 Jan 2000 00:00:00 GMT", 946_684_800),
    ])
    func parsesTheThreeHTTPDateFormats(text: String, epochSeconds: Int64) {
        #expect(HTTPDate.parse(text) == epochSeconds)
    }

    @Test(arguments: [
        "", "tomorrow", "1994-11-06T08:49:37Z",
        "Sun, 32 Nov 1994 08:49:37 GMT", "Wed, 29 Feb 2023 00:00:00 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 25:00:00 GMT", "Sun, 06 Nov 1994 08:61:00 GMT", "Sun, 06 Nov 1994 08:49:37 PST",
        "Sun, 06 Nov 94 08:49:37 GMT", "Sun, 06 Nov 1994 8:49:37 GMT",
    ])
    func rejectsAnythingElse(text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }
}
