import Foundation

/// Internal helpers for handing Swift byte collections to OpenSSL.
enum Bytes {
    /// Copies any byte collection into a contiguous array (cheap for `[UInt8]`, one copy for `Data`).
    @inline(__always)
    static func array(_ bytes: some DataProtocol) -> [UInt8] {
        if let a = bytes as? [UInt8] { return a }
        return Array(bytes)
    }
}

extension Array where Element == UInt8 {
    /// Calls `body` with a pointer that is never nil, even for an empty array: some OpenSSL
    /// functions reject a NULL input pointer although the length is zero.
    func withNonNullPointer<R>(_ body: (UnsafePointer<UInt8>, Int) throws -> R) rethrows -> R {
        if isEmpty {
            var zero: UInt8 = 0
            return try withUnsafePointer(to: &zero) { try body($0, 0) }
        }
        return try withUnsafeBufferPointer { try body($0.baseAddress!, $0.count) }
    }
}
