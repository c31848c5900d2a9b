/// The last error of a record: a stable code, a plain sentence and (when we know one) a fix.
public struct RecordError: Sendable, Equatable, Codable {
    public var code: String
    public var message: String
    public var fix: String?

    public init(code: String, message: String, fix: String? = nil) {
        self.code = code
        self.message = message
        self.fix = fix
    }

    public init(_ reason: ParkReason) {
        self.init(code: reason.code, message: reason.message, fix: reason.suggestedFix)
    }

    public init(_ reason: SkipReason) {
        self.init(code: reason.code, message: reason.message)
    }
}
