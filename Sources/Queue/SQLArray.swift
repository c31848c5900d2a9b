import Postgres

/// Array literals for the batched statements (`unnest($1::bigint[], …)`), still sent as one bound
/// parameter each: values are quoted inside the literal, never spliced into SQL text.
enum SQLArray {
    static func int64(_ values: [Int64]) -> PostgresValue {
        .text("{" + values.map(String.init).joined(separator: ",") + "}")
    }

    static func int(_ values: [Int]) -> PostgresValue {
        .text("{" + values.map(String.init).joined(separator: ",") + "}")
    }

    static func double(_ values: [Double]) -> PostgresValue {
        .text("{" + values.map { $0.isFinite ? String($0) : "0" }.joined(separator: ",") + "}")
    }

    static func bool(_ values: [Bool]) -> PostgresValue {
        .text("{" + values.map { $0 ? "t" : "f" }.joined(separator: ",") + "}")
    }

    /// Text elements in double quotes with `\` and `"` escaped; nil becomes NULL.
    static func text(_ values: [String?]) -> PostgresValue {
        var out = "{"
        for (index, value) in values.enumerated() {
            if index > 0 { out += "," }
            guard let value else { out += "NULL"; continue }
            out += "\""
            for character in value {
                if character == "\\" || character == "\"" { out += "\\" }
                out.append(character)
            }
            out += "\""
        }
        return .text(out + "}")
    }
}
