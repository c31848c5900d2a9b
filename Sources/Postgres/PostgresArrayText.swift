/// Reads the text form of a one-dimensional PostgreSQL array: `{1,2,NULL}`, `{"a,b","x\"y"}`.
enum PostgresArrayText {
    static func parse(_ text: String) -> [String?]? {
        var chars = Array(text)
        // An explicit lower bound prefix such as `[0:2]={…}` is skipped.
        if chars.first == "[", let equals = chars.firstIndex(of: "=") { chars = Array(chars[(equals + 1)...]) }
        guard chars.first == "{", chars.last == "}" else { return nil }
        let body = chars.dropFirst().dropLast()
        if body.isEmpty { return [] }
        var elements: [String?] = []
        var index = body.startIndex
        while true {
            if body[index] == "{" { return nil }  // multi-dimensional: not supported
            var value = ""
            var quoted = false
            if body[index] == "\"" {
                quoted = true
                index += 1
                while index < body.endIndex, body[index] != "\"" {
                    if body[index] == "\\" { index += 1; guard index < body.endIndex else { return nil } }
                    value.append(body[index])
                    index += 1
                }
                guard index < body.endIndex else { return nil }
                index += 1
            } else {
                while index < body.endIndex, body[index] != "," {
                    value.append(body[index])
                    index += 1
                }
            }
            elements.append(!quoted && value == "NULL" ? nil : value)
            if index == body.endIndex { return elements }
            guard body[index] == "," else { return nil }
            index += 1
            guard index < body.endIndex else { return nil }
        }
    }
}
