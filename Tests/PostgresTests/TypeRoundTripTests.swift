import Foundation
import Postgres
import TestSupport
import Testing

@Suite(.serialized)
struct TypeRoundTripTests {
    let conn: Connection

    init() throws {
        conn = try Connection(try TestDatabase.shared.freshDatabase("types"))
    }

    /// Sends `value` as parameter $1 cast to `sqlType` and decodes it back.
    func roundTrip<T: PostgresEncodable & PostgresDecodable>(_ value: T, _ sqlType: String) throws -> T {
        try conn.query("SELECT $1::\(sqlType) AS v", value)[0].decode("v", as: T.self)
    }

    @Test func integersRoundTripAtTheirLimits() throws {
        #expect(try roundTrip(Int.max, "bigint") == Int.max)
        #expect(try roundTrip(Int.min, "bigint") == Int.min)
        #expect(try roundTrip(Int64(-42), "bigint") == -42)
        #expect(try roundTrip(Int32.max, "integer") == Int32.max)
        #expect(try roundTrip(Int32.min, "integer") == Int32.min)
        #expect(try roundTrip(Int16(-7), "smallint") == -7)
    }

    @Test func boolAndDoubleRoundTrip() throws {
        #expect(try roundTrip(true, "boolean") == true)
        #expect(try roundTrip(false, "boolean") == false)
        #expect(try roundTrip(0.1, "double precision") == 0.1)
        #expect(try roundTrip(-1.5e300, "double precision") == -1.5e300)
        #expect(try roundTrip(Double.infinity, "double precision") == .infinity)
        #expect(try roundTrip(Double.nan, "double precision").isNaN)
    }

    @Test func numericRoundTripsAsAnExactDecimal() throws {
        let price = Decimal(string: "12345678901234567890.123456789")!
        #expect(try roundTrip(price, "numeric") == price)
        let cents = try conn.query("SELECT 0.1::numeric + 0.2::numeric AS v", [])[0].decode("v", as: Decimal.self)
        #expect(cents == Decimal(string: "0.3")!)
        #expect(try roundTrip(Decimal(string: "-0.000001")!, "numeric(12,6)") == Decimal(string: "-0.000001")!)
    }

    @Test func textKeepsNonASCIIAndSQLMetacharactersAsData() throws {
        let tricky = "Zoë's \"café\" 🚀 — '; DROP TABLE t; -- \\ $1 %s \u{7F}"
        #expect(try roundTrip(tricky, "text") == tricky)
        try conn.executeScript("CREATE TABLE notes (body text)")
        try conn.execute("INSERT INTO notes (body) VALUES ($1)", tricky)
        let count = try conn.query("SELECT count(*) AS n FROM notes WHERE body = $1", tricky)[0].decode("n", as: Int.self)
        #expect(count == 1)
    }

    @Test func textContainingANulByteIsRejectedInsteadOfTruncated() throws {
        #expect {
            try conn.query("SELECT $1::text", "before\u{0}after")
        } throws: { ($0 as? PostgresError)?.code == .invalidParameter }
    }

    @Test func byteaKeepsZeroBytesAndEveryByteValue() throws {
        let bytes: [UInt8] = [0, 0, 1, 0, 255, 128] + (0...255).map(UInt8.init)
        #expect(try roundTrip(bytes, "bytea") == bytes)
        #expect(try roundTrip(Data(bytes), "bytea") == Data(bytes))
        #expect(try roundTrip([UInt8](), "bytea") == [])
        let length = try conn.query("SELECT length($1) AS n", bytes)[0].decode("n", as: Int.self)
        #expect(length == bytes.count)
    }

    @Test func timestamptzRoundTripsWithMicroseconds() throws {
        let date = Date(timeIntervalSince1970: 1_714_566_600.123456)
        let back = try roundTrip(date, "timestamptz")
        #expect(PostgresTimestamp.format(back) == "2024-05-01T12:30:00.123456Z")
        #expect(abs(back.timeIntervalSince(date)) < 0.000_001)
        let old = Date(timeIntervalSince1970: -2_000_000_000.5)
        #expect(PostgresTimestamp.format(try roundTrip(old, "timestamptz")) == PostgresTimestamp.format(old))
    }

    @Test func timestamptzReadsServerOutputWithOffsets() throws {
        let row = try conn.query("""
            SELECT '2024-05-01 18:00:00.5+05:30'::timestamptz AS a, '2024-05-01'::date AS d,
                   'infinity'::timestamptz AS inf, now() AS n
            """, [])[0]
        #expect(PostgresTimestamp.format(try row.decode("a", as: Date.self)) == "2024-05-01T12:30:00.500000Z")
        #expect(PostgresTimestamp.format(try row.decode("d", as: Date.self)) == "2024-05-01T00:00:00.000000Z")
        #expect(try row.decode("inf", as: Date.self) == .distantFuture)
        #expect(abs(try row.decode("n", as: Date.self).timeIntervalSinceNow) < 300)
    }

    @Test func uuidRoundTrips() throws {
        let id = UUID()
        #expect(try roundTrip(id, "uuid") == id)
    }

    @Test func jsonbDecodesAsTextAndAsDecodable() throws {
        struct Item: Codable, Equatable { let sku: String; let qty: Int }
        let item = Item(sku: "A-1 \"ü\"", qty: 3)
        try conn.executeScript("CREATE TABLE docs (doc jsonb)")
        try conn.execute("INSERT INTO docs (doc) VALUES ($1)", try PostgresValue.json(item))
        let row = try conn.query("SELECT doc FROM docs", [])[0]
        #expect(try row.decodeJSON("doc", as: Item.self) == item)
        #expect(try row.decode("doc", as: String.self).contains("\"qty\": 3"))
    }

    @Test func nullDecodesAsNilAndIsAnErrorForNonOptionals() throws {
        let row = try conn.query("SELECT $1::int AS a, $2::text AS b", [nil, nil])[0]
        #expect(try row.decode("a", as: Int?.self) == nil)
        #expect(try row.decode("b", as: String?.self) == nil)
        #expect(row["a"].isNull)
        #expect { try row.decode("a", as: Int.self) } throws: { ($0 as? PostgresError)?.code == .unexpectedNull }
        let nothing: Int? = nil
        #expect(try conn.query("SELECT $1::bigint IS NULL AS n", nothing)[0].decode("n", as: Bool.self))
    }

    @Test func rowsAreReachableByIndexAndNameAndUnknownColumnsFail() throws {
        let result = try conn.query("SELECT x AS n, x * 2 AS twice FROM generate_series(1, 3) x", [])
        #expect(result.count == 3)
        #expect(result.columns == ["n", "twice"])
        #expect(try result.map { try $0.decode(1, as: Int.self) } == [2, 4, 6])
        #expect(result[2]["n"].string == "3")
        #expect { try result[0].decode("missing", as: Int.self) } throws: {
            ($0 as? PostgresError)?.code == .columnNotFound
        }
    }

    @Test func arrayParametersWorkWithAny() throws {
        let ids = try conn.query("SELECT x FROM generate_series(1, 10) x WHERE x = ANY($1) ORDER BY x",
                                 PostgresValue.array([2, 5, 99]))
        #expect(try ids.map { try $0.decode(0, as: Int.self) } == [2, 5])
        let names = ["a,b", "{c}", "NULL", "d\"e\\"]
        let matched = try conn.query("SELECT cardinality($1::text[]) AS n, ($1::text[])[4] AS last",
                                     PostgresValue.array(names))[0]
        #expect(try matched.decode("n", as: Int.self) == 4)
        #expect(try matched.decode("last", as: String.self) == "d\"e\\")
    }

    @Test func arrayColumnsReadBackAsElementText() throws {
        let names = ["plain", "a,b", "{c}", "NULL", "d\"e\\", ""]
        let row = try conn.query("SELECT $1::text[] AS names, ARRAY[1, NULL, 3]::int[] AS ids, '{}'::int[] AS none",
                                 PostgresValue.array(names))[0]
        #expect(try row["names"].textArray() == names)
        #expect(try row["ids"].textArray() == ["1", nil, "3"])
        #expect(try row["none"].textArray() == [])
    }
}
