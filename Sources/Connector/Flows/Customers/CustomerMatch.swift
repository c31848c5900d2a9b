import Commerce

/// Where a mapped GP customer goes in Commerce: the stored mapping first, else an account with
/// the same e-mail, else a new account.
public enum CustomerMatch: Sendable, Equatable {
    /// Update this Commerce customer id (from our record of an earlier sync).
    case updateMapped(id: Int)
    /// Update the account found by e-mail and remember the mapping.
    case adoptByEmail(id: Int)
    case create
    /// The account with this e-mail already belongs to another GP customer: a person decides.
    case conflict(reason: String)

    /// - Parameters:
    ///   - gpCustomerId: the GP customer being synced.
    ///   - storedTargetKey: the Commerce id our record holds, if any.
    ///   - foundByEmail: the Commerce account with the same e-mail, if the caller looked one up.
    public static func decide(gpCustomerId: String, storedTargetKey: String?, foundByEmail: CommerceCustomer?,
                              gpIdAttributeCode: String) -> CustomerMatch {
        if let stored = storedTargetKey.flatMap({ Int($0) }) { return .updateMapped(id: stored) }
        guard let found = foundByEmail, let id = found.id else { return .create }
        let owner = found.customAttributes?[code: gpIdAttributeCode]?.trimmed ?? ""
        if !owner.isEmpty && owner.uppercased() != gpCustomerId.trimmed.uppercased() {
            return .conflict(reason: "Commerce customer \(id) (\(found.email)) already carries GP customer id \(owner), not \(gpCustomerId.trimmed).")
        }
        return .adoptByEmail(id: id)
    }
}
