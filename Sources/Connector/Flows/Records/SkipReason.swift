import Foundation

/// Why a GP record was not written to Commerce (recorded as `skipped`, never silently dropped).
public struct SkipReason: Sendable, Equatable, Error {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
