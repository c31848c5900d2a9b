import Foundation
import Postgres

/// The `poll_orders` backstop: every order and invoice updated since the watermark (minus an
/// overlap for clock drift and late commits) goes through `OrderIntake` as if a webhook had
/// brought it, marked `poll`. Records first seen this way are the visible trace of a silent webhook.
public struct OrderBackstop {
    public static let ordersWatermark = "orders_backstop"
    public static let invoicesWatermark = "invoices_backstop"

    public struct Summary: Sendable, Equatable, Codable {
        public var ordersSeen = 0
        public var invoicesSeen = 0
        /// Records this poll created (no webhook had announced them).
        public var arrivedOnlyByPoll = 0
        public var enqueued: [String] = []
        public var until = ""
    }

    /// The two Commerce lists the backstop reads, each with its own watermark.
    public enum Entity: String, Sendable, CaseIterable, Codable {
        case orders, invoices
    }

    public let tenant: String
    public let trigger: PostingTrigger
    public let source: any UpdatedSalesSource
    /// What this run reads (both by default: the scheduled backstop); only their watermarks move.
    public var entities: Set<Entity> = Set(Entity.allCases)
    /// A full re-read from this instant instead of the watermark (`mode: full`); nil = incremental.
    public var readFrom: Date?
    public var overlapSeconds: Double
    /// First run without a watermark looks back this far.
    public var initialLookbackSeconds: Double
    let intake: OrderIntake
    let watermarks = WatermarkStore()

    public init(tenant: String, trigger: PostingTrigger, source: any UpdatedSalesSource, overlapSeconds: Double = 300,
                initialLookbackSeconds: Double = 86_400, records: RecordStore = RecordStore()) {
        self.tenant = tenant
        self.trigger = trigger
        self.source = source
        self.overlapSeconds = overlapSeconds
        self.initialLookbackSeconds = initialLookbackSeconds
        intake = OrderIntake(records: records)
    }

    /// Polls and hands each job to `enqueue(dedupKey, payload)` (the caller's queue, in its
    /// transaction when it has one). Watermarks move to `now` only after everything was handed over.
    public func run(_ conn: Connection, now: Date = Date(),
                    enqueue: (_ dedupKey: String, _ payload: String) throws -> Void) throws -> Summary {
        var summary = Summary()
        let until = Self.timestamp(now)
        summary.until = until
        func since(_ entity: String) throws -> String {
            if let readFrom { return Self.timestamp(readFrom) }
            let stored = try watermarks.watermark(conn, tenant: tenant, entity: entity)?.value
            return Self.timestamp(WatermarkOverlap.commerceReadFrom(stored, overlapSeconds: overlapSeconds)
                                  ?? now.addingTimeInterval(-initialLookbackSeconds))
        }
        func take(_ request: OrderPostingRun.Request) throws {
            let existed = try RecordStore().record(conn, RecordKey(tenant: tenant, entity: .order, sourceKey: request.incrementId)) != nil
            if !existed { summary.arrivedOnlyByPoll += 1 }
            if case .enqueue(let key, let payload) = try intake.receive(conn, tenant: tenant, trigger: trigger, request) {
                try enqueue(key, payload)
                summary.enqueued.append(request.incrementId)
            }
        }
        // Invoicing an order updates it, so the orders read here usually name every invoice's
        // order: one Commerce call per invoice only for the rest (a poll of 1,000 invoices made
        // 1,000 sequential GETs and, under crashes every few seconds, never finished).
        var incrementByOrder: [Int: String] = [:]
        if entities.contains(.orders) {
            try source.ordersUpdated(since: try since(Self.ordersWatermark), until: until) { orders in
                for order in orders {
                    summary.ordersSeen += 1
                    incrementByOrder[order.entityId] = order.incrementId
                    try take(.init(incrementId: order.incrementId, event: .orderPlaced, arrivedVia: .poll))
                }
            }
        }
        if entities.contains(.invoices) {
            try source.invoicesUpdated(since: try since(Self.invoicesWatermark), until: until) { invoices in
                for invoice in invoices {
                    summary.invoicesSeen += 1
                    if incrementByOrder[invoice.orderId] == nil {
                        incrementByOrder[invoice.orderId] = try source.order(id: invoice.orderId)?.incrementId
                    }
                    guard let increment = incrementByOrder[invoice.orderId] else { continue }
                    try take(.init(incrementId: increment, event: .invoiceCaptured, arrivedVia: .poll, invoiceId: invoice.entityId))
                }
            }
        }
        // Only what was read moves; a watermark never moves back (a full re-read ends at now too).
        if entities.contains(.orders) { try watermarks.advance(conn, tenant: tenant, entity: Self.ordersWatermark, to: now) }
        if entities.contains(.invoices) { try watermarks.advance(conn, tenant: tenant, entity: Self.invoicesWatermark, to: now) }
        return summary
    }

    /// Magento's `YYYY-MM-DD HH:MM:SS` (UTC).
    static func timestamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f.string(from: date)
    }
}
