import CLibPQ
import Foundation

/// One row of a `QueryResult`. Columns are found by name or by zero-based index.
///
/// ```swift
/// let id = try row.decode("id", as: Int64.self)
/// let note: String? = try row.decode("note")   // NULL → nil
/// let raw = row["payload"].string              // text as sent by the server
/// ```
public struct Row: Sendable {
    let storage: ResultStorage
    let index: Int

    public var columns: [String] { storage.columnNames }

    /// The cell of a column; a missing column yields a cell whose decoding throws
    /// `column_not_found`.
    public subscript(column: String) -> PostgresCell {
        PostgresCell(storage: storage, row: index, column: storage.columnIndex(column) ?? -1, name: column)
    }

    public subscript(column: Int) -> PostgresCell {
        let valid = column >= 0 && column < storage.columnNames.count
        return PostgresCell(storage: storage, row: index, column: valid ? column : -1,
                            name: valid ? storage.columnNames[column] : "#\(column)")
    }

    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(type)
    }

    public func decode<T: PostgresDecodable>(_ column: Int, as type: T.Type = T.self) throws -> T {
        try self[column].decode(type)
    }

    /// Decodes a json/jsonb (or text) column holding JSON into a `Decodable` value.
    public func decodeJSON<T: Decodable>(_ column: String, as type: T.Type = T.self,
                                         decoder: JSONDecoder = JSONDecoder()) throws -> T {
        let text = try decode(column, as: String.self)
        do { return try decoder.decode(type, from: Data(text.utf8)) } catch {
            throw PostgresError(.decodingFailed, "column \(column) does not hold JSON for \(type): \(error)")
        }
    }
}

/// One value of a row, as the server sent it in text format.
public struct PostgresCell: Sendable {
    let storage: ResultStorage
    let row: Int
    let column: Int
    /// The column name (or `#index`), for error messages.
    public let name: String

    public var exists: Bool { column >= 0 }
    public var isNull: Bool { column < 0 || PQgetisnull(storage.result, Int32(row), Int32(column)) == 1 }
    /// The type OID the server reported for the column.
    public var typeOID: UInt32 { column >= 0 ? storage.columnTypes[column] : 0 }

    /// The raw bytes (text format), nil for NULL or a missing column.
    public var bytes: [UInt8]? {
        guard !isNull, let pointer = PQgetvalue(storage.result, Int32(row), Int32(column)) else { return nil }
        let length = Int(PQgetlength(storage.result, Int32(row), Int32(column)))
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    /// The value as text, nil for NULL or a missing column.
    public var string: String? {
        guard !isNull, let pointer = PQgetvalue(storage.result, Int32(row), Int32(column)) else { return nil }
        return String(cString: pointer)
    }

    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self) throws -> T {
        guard column >= 0 else {
            throw PostgresError(.columnNotFound, "the result has no column \(name)")
        }
        return try T(postgresCell: self)
    }

    /// A one-dimensional array column (`text[]`, `bigint[]`, …) as its elements' text, NULL
    /// elements as nil: `try row["ids"].textArray().map { Int($0!)! }`.
    public func textArray() throws -> [String?] {
        guard column >= 0 else { throw PostgresError(.columnNotFound, "the result has no column \(name)") }
        guard let text = string else {
            throw PostgresError(.unexpectedNull, "column \(name) is NULL")
        }
        guard let elements = PostgresArrayText.parse(text) else { throw failure("one-dimensional array") }
        return elements
    }

    func failure(_ expected: String) -> PostgresError {
        PostgresError(.decodingFailed, "column \(name) (type oid \(typeOID)) does not hold a valid \(expected)")
    }
}
