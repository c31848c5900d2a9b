/// PATCH semantics for a tenant: a JSON merge patch (RFC 7386) over the stored document, where
/// secrets the patch omits are kept and secrets it sets to `null` are dropped. Switching
/// `commerce.auth.type` replaces the auth object whole, so fields of the old kind do not linger.
public enum TenantPatch {
    public struct Result: Sendable, Equatable {
        public var document: DocumentValue
        public var keptSecrets: Set<SecretField>
    }

    public static func apply(_ patch: DocumentValue, to stored: DocumentValue, storedSecrets: Set<SecretField>) -> Result {
        var kept = storedSecrets
        for field in SecretField.allCases where patch.value(at: field.rawValue) == .null {
            kept.remove(field)
        }
        var merged = stored.merging(patch: patch)
        if let newType = patch.value(at: "commerce.auth.type"), newType != .null,
           newType != stored.value(at: "commerce.auth.type"),
           case .object(var root) = merged, case .object(var commerce) = root["commerce"],
           let authPatch = patch.value(at: "commerce.auth") {
            commerce["auth"] = DocumentValue.null.merging(patch: authPatch)
            root["commerce"] = .object(commerce)
            merged = .object(root)
            kept.subtract(SecretField.oauth1 + [.commerceClientSecret])
        }
        return Result(document: merged, keptSecrets: kept)
    }
}

extension DocumentValue {
    /// The value at a dotted path (`commerce.auth.type`); nil when absent, `.null` when null.
    public func value(at path: String) -> DocumentValue? {
        var current = self
        for key in path.split(separator: ".") {
            guard case .object(let o) = current, let next = o[String(key)] else { return nil }
            current = next
        }
        return current
    }
}
