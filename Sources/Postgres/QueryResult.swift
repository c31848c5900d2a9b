import CLibPQ

/// Owns one PGresult and frees it when the last row referring to it is gone.
/// A PGresult is immutable once returned, so reading it from several threads is safe.
final class ResultStorage: @unchecked Sendable {
    let result: OpaquePointer
    let rowCount: Int
    let columnNames: [String]
    let columnTypes: [UInt32]
    private let indexByName: [String: Int]

    init(_ result: OpaquePointer) {
        self.result = result
        rowCount = Int(PQntuples(result))
        let columns = Int(PQnfields(result))
        var names: [String] = []
        var types: [UInt32] = []
        var index: [String: Int] = [:]
        for c in 0..<columns {
            let name = String(cString: PQfname(result, Int32(c)))
            names.append(name)
            types.append(PQftype(result, Int32(c)))
            if index[name] == nil { index[name] = c }
        }
        columnNames = names
        columnTypes = types
        indexByName = index
    }

    deinit { PQclear(result) }

    func columnIndex(_ name: String) -> Int? { indexByName[name] }
}

/// The rows a statement returned (a random-access collection of `Row`) and how many rows it
/// affected.
///
/// ```swift
/// for row in try conn.query("SELECT id, name FROM items WHERE tenant = $1", tenant) {
///     let id: Int64 = try row.decode("id")
/// }
/// ```
public struct QueryResult: RandomAccessCollection, Sendable {
    let storage: ResultStorage
    /// Rows inserted/updated/deleted (or returned by SELECT), from the command tag.
    public let rowsAffected: Int
    /// The command tag, e.g. `INSERT 0 1` or `COMMIT`.
    public let commandTag: String

    init(_ result: OpaquePointer) {
        storage = ResultStorage(result)
        rowsAffected = Int(String(cString: PQcmdTuples(result))) ?? 0
        commandTag = String(cString: PQcmdStatus(result))
    }

    public var columns: [String] { storage.columnNames }
    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.rowCount }
    public subscript(position: Int) -> Row { Row(storage: storage, index: position) }
}
