/// Whether a sync reads only what changed since the watermark or everything.
public enum SyncMode: String, Sendable, Codable {
    case incremental, full
}

/// Counters of an item or customer sync, reported after every page and returned at the end.
public struct SyncProgress: Sendable, Equatable, Codable {
    /// Items read and decided (written, unchanged, skipped or failed).
    public var processed = 0
    /// Known once the source is exhausted (nil while reading).
    public var total: Int?
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public var skipped = 0
    public var failed = 0
    public var pages = 0
    /// Commerce write calls made (single upserts + bulk requests).
    public var writeCalls = 0
    /// The watermark stored at the end (nil when it did not move).
    public var watermark: String?

    public init() {}
}
