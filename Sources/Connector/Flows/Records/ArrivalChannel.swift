/// How a record first became known; a record seen both ways is `both`.
public enum ArrivalChannel: String, Sendable, Codable, CaseIterable {
    case webhook, poll, both

    public func merged(with other: ArrivalChannel) -> ArrivalChannel {
        self == other ? self : .both
    }
}
