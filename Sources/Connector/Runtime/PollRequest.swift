import Foundation

/// The payload of a `poll_orders` job: which Commerce lists the backstop reads and from when.
///
/// | payload | reads |
/// |---|---|
/// | `{"mode":"incremental"}` (the schedule's) | orders and invoices since their watermarks |
/// | `{"entity":"orders"\|"invoices","mode":"incremental"}` | that list since its watermark |
/// | `{"entity":…,"mode":"full"}` | that list over the tenant's whole window (`posting.backstop_full_lookback_days`) |
/// | `{"entity":…,"mode":"full","since":"2026-11-01T00:00:00Z"}` | that list from `since` (clamped to the window) |
///
/// A full read still advances the watermark to now (it only moves forward) and relies on the
/// records' dedup: what was already posted is only noted again, never posted twice.
public struct PollRequest: Sendable, Equatable, Codable {
    /// `orders`, `invoices`, or nil (`all` is accepted too) for both.
    public var entity: String?
    public var mode: SyncMode?
    /// ISO 8601 instant (`PollRequest.format`); only with `mode: full`.
    public var since: String?

    public init(entity: OrderBackstop.Entity? = nil, mode: SyncMode = .incremental, since: Date? = nil) {
        self.entity = entity?.rawValue
        self.mode = mode
        self.since = since.map(Self.format)
    }

    /// The lists to read; an unknown entity (a payload from a newer version) reads both.
    public var entities: Set<OrderBackstop.Entity> {
        entity.flatMap(OrderBackstop.Entity.init(rawValue:)).map { [$0] } ?? Set(OrderBackstop.Entity.allCases)
    }

    /// Where a full read starts: `since` (never earlier than the window), else the window's start;
    /// nil for an incremental read.
    public func readFrom(now: Date, lookbackDays: Int) -> Date? {
        guard mode == .full else { return nil }
        let windowStart = Self.windowStart(now: now, lookbackDays: lookbackDays)
        guard let since = since.flatMap(Self.parseSince) else { return windowStart }
        return max(since, windowStart)
    }

    public static func windowStart(now: Date, lookbackDays: Int) -> Date {
        now.addingTimeInterval(-Double(max(1, lookbackDays)) * 86_400)
    }

    /// `2026-11-01` (midnight UTC) or an ISO 8601 date-time with a zone (`2026-11-01T08:00:00Z`,
    /// `…+02:00`, fractional seconds allowed); nil for anything else.
    public static func parseSince(_ text: String) -> Date? {
        guard text.count <= 40 else { return nil }
        if text.count == 10, let day = try? Date(text + "T00:00:00Z", strategy: .iso8601) { return day }
        if let d = try? Date(text, strategy: .iso8601) { return d }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
