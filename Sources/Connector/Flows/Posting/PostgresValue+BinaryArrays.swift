import Postgres

/// One-dimensional arrays in PostgreSQL's binary wire format, for the batched webhook write
/// (`unnest($1::text[], …)`): no quoting or escaping per element, bytea elements as raw bytes,
/// NULL elements allowed. The element bytes are exactly what the scalar binary forms carry.
extension PostgresValue {
    static func binaryArray(texts: [String?]) -> PostgresValue {
        binaryArray(arrayOID: PostgresType.textArray, elementOID: PostgresType.text, texts.map { $0.map { Array($0.utf8) } })
    }

    static func binaryArray(byteas: [[UInt8]]) -> PostgresValue {
        binaryArray(arrayOID: 1001, elementOID: PostgresType.bytea, byteas)
    }

    static func binaryArray(ints: [Int32]) -> PostgresValue {
        binaryArray(arrayOID: PostgresType.int4Array, elementOID: PostgresType.int4, ints.map(bigEndian))
    }

    static func binaryArray(bools: [Bool]) -> PostgresValue {
        binaryArray(arrayOID: 1000, elementOID: PostgresType.bool, bools.map { [$0 ? 1 : 0] })
    }

    private static func binaryArray(arrayOID: UInt32, elementOID: UInt32, _ elements: [[UInt8]?]) -> PostgresValue {
        var out: [UInt8] = []
        out.reserveCapacity(20 + elements.reduce(0) { $0 + 4 + ($1?.count ?? 0) })
        let hasNull = elements.contains { $0 == nil }
        // Header: dimensions (0 for an empty array), has-null flag, element type; then size and
        // lower bound of the one dimension.
        out += bigEndian(Int32(elements.isEmpty ? 0 : 1))
        out += bigEndian(Int32(hasNull ? 1 : 0))
        out += bigEndian(UInt32(elementOID))
        if !elements.isEmpty {
            out += bigEndian(Int32(elements.count))
            out += bigEndian(Int32(1))
        }
        for element in elements {
            guard let element else {
                out += bigEndian(Int32(-1))
                continue
            }
            out += bigEndian(Int32(element.count))
            out += element
        }
        return PostgresValue(bytes: out, format: .binary, typeOID: arrayOID)
    }

    private static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}
