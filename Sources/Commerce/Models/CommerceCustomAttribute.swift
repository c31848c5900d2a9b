/// `custom_attributes[{attribute_code, value}]`. Values arrive as strings, numbers, booleans or
/// lists depending on the attribute; they are kept as text (lists comma-joined, like Magento's
/// multiselect storage).
public struct CommerceCustomAttribute: Codable, Sendable, Equatable {
    public var attributeCode: String
    public var value: String

    public init(_ code: String, _ value: String) {
        self.attributeCode = code
        self.value = value
    }

    enum CodingKeys: String, CodingKey { case attributeCode, value }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        attributeCode = try c.decode(String.self, forKey: .attributeCode)
        if let s = try? c.decode(String.self, forKey: .value) { value = s }
        else if let i = try? c.decode(Int.self, forKey: .value) { value = String(i) }
        else if let d = try? c.decode(Double.self, forKey: .value) { value = String(d) }
        else if let b = try? c.decode(Bool.self, forKey: .value) { value = b ? "1" : "0" }
        else if let list = try? c.decode([String].self, forKey: .value) { value = list.joined(separator: ",") }
        else { value = "" }
    }
}

extension Array where Element == CommerceCustomAttribute {
    public subscript(code code: String) -> String? { first { $0.attributeCode == code }?.value }
}
