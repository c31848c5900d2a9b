/// One problem with one field of a client document: `gp.company_url`, `encoded_host`, and a
/// sentence for a person. Messages never repeat the submitted value.
public struct FieldIssue: Sendable, Equatable, Codable, CustomStringConvertible {
    public let field: String
    public let code: String
    public let message: String

    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// A tenant document that failed validation, with every problem found (not just the first).
public struct TenantValidationError: Error, Sendable, Equatable {
    public let issues: [FieldIssue]

    public let code = "validation_failed"

    public var message: String {
        issues.count == 1 ? "Invalid field \(issues[0].field): \(issues[0].message)"
            : "\(issues.count) fields are invalid: " + issues.map(\.field).joined(separator: ", ") + "."
    }

    public init(_ issues: [FieldIssue]) { self.issues = issues }
}
