import Commerce

/// Commerce customer accounts. Throws for whole-run failures (429, 5xx, network); returns
/// `.rejected` for one account Commerce refused.
public protocol CustomerWriter {
    /// The account with this e-mail on this website, if any.
    func find(email: String, websiteId: Int) throws -> CommerceCustomer?
    func create(_ customer: CommerceCustomer) throws -> CustomerWriteOutcome
    /// `.missing` when Commerce has no customer with this id (deleted there).
    func update(id: Int, _ customer: CommerceCustomer) throws -> CustomerWriteOutcome
}

public enum CustomerWriteOutcome: Sendable, Equatable {
    case written(id: Int)
    case rejected(RecordError)
    case missing
}
