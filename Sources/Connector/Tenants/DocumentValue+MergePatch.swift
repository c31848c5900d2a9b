/// JSON merge patch (RFC 7386): objects merge key by key, `null` removes a key, anything else
/// replaces the target whole (arrays included).
extension DocumentValue {
    public func merging(patch: DocumentValue) -> DocumentValue {
        guard case .object(let patchObject) = patch else { return patch }
        var result = objectValue ?? [:]
        for (key, value) in patchObject {
            if value == .null {
                result.removeValue(forKey: key)
            } else {
                result[key] = (result[key] ?? .null).merging(patch: value)
            }
        }
        return .object(result)
    }
}
