import Foundation
import GP
import Postgres

/// The `sync_items` job's logic: GP items since the watermark → Commerce products, exactly what
/// changed, every outcome recorded.
///
/// Per page: map each item (`ProductMapping`); look up the page's stored hashes in one query; an
/// item whose hash equals the last written one costs no Commerce call (`unchanged`); the rest are
/// written — one upsert each, or the async bulk endpoint when at least `bulkThreshold` changed —
/// and each outcome is recorded (synced with its new hash, skipped with the reason, failed with
/// Commerce's words). The watermark moves only after the last page is recorded, to the newest GP
/// modified date read: GP lists are not sorted by date, so an earlier move could skip items of a
/// later page after a crash. A crash re-reads from the old watermark; the hashes make that cheap.
///
/// ```swift
/// let sync = ItemSync(tenant: "acme", settings: mapping, source: GPItemPageSource(client: gp, settings: mapping),
///                     writer: CommerceProductWriter(client: commerce))
/// let result = try sync.run(context.connection, mode: .incremental) { progress in
///     try context.reportProgress(processed: progress.processed, total: progress.total)
/// }
/// ```
public struct ItemSync {
    /// Watermark entity name for items.
    public static let watermarkEntity = "items"

    public let tenant: String
    public let settings: ItemMappingSettings
    public let source: any ItemPageSource
    public let writer: any ProductWriter
    public let records: RecordStore
    public let watermarks: WatermarkStore
    /// Job id for the audit trail.
    public var jobID: Int64?

    public init(tenant: String, settings: ItemMappingSettings, source: any ItemPageSource, writer: any ProductWriter,
                records: RecordStore = RecordStore(), watermarks: WatermarkStore = WatermarkStore(), jobID: Int64? = nil) {
        self.tenant = tenant
        self.settings = settings
        self.source = source
        self.writer = writer
        self.records = records
        self.watermarks = watermarks
        self.jobID = jobID
    }

    /// Runs the sync on `conn` (no transaction needed: each record is its own fact). Errors from
    /// the source or a whole-run write failure propagate with the watermark unmoved. `progress`
    /// sees the counters after every page and at the end; `isCancelled` is asked before each page.
    public func run(_ conn: Connection, mode: SyncMode, progress: (SyncProgress) throws -> Void = { _ in },
                    isCancelled: () -> Bool = { false }) throws -> SyncProgress {
        try WatermarkedSync(tenant: tenant, entity: Self.watermarkEntity, watermarks: watermarks).run(
            conn, mode: mode, source: source, record: { try record($0, conn, &$1) }, progress: progress,
            isCancelled: isCancelled)
    }

    func record(_ page: ItemPage, _ conn: Connection, _ counters: inout SyncProgress) throws {
        var mapped: [(key: String, product: MappedProduct)] = []
        var skipped: [(key: String, reason: SkipReason)] = []
        // Each item gets only its own rows: the mapping filters what it is given, and handing it
        // the whole page would make a page cost items × rows.
        let prices = Dictionary(grouping: page.prices) { ProductMapping.normalized($0.itemNumber) }
        let sites = Dictionary(grouping: page.sites) { ProductMapping.normalized($0.itemNumber) }
        for item in page.items {
            let key = item.itemNumber.trimmingCharacters(in: .whitespaces)
            let own = ProductMapping.normalized(key)
            switch ProductMapping.map(item: item, prices: prices[own] ?? [], sites: sites[own] ?? [], settings: settings) {
            case .success(let product): mapped.append((key, product))
            case .failure(let reason): skipped.append((key.isEmpty ? item.itemNumber : key, reason))
            }
        }
        let stored = try records.storedContent(conn, tenant: tenant, entity: .item,
                                               sourceKeys: mapped.map(\.key) + skipped.map(\.key))

        // A page's records commit together: one WAL flush per page instead of two per item,
        // which were most of a 10,000-item sync's time (never held open across a Commerce call).
        try conn.transaction { tx in
            for (key, reason) in skipped where !key.isEmpty {
                let previous = stored[key]
                let result = try records.upsert(tx, RecordKey(tenant: tenant, entity: .item, sourceKey: key),
                                                status: .skipped, error: RecordError(reason))
                if previous?.status != .skipped {
                    try records.appendAudit(tx, recordID: result.record.id, tenant: tenant,
                                            .decision("skipped", reason.message, jobID: jobID))
                }
                counters.skipped += 1
            }
        }
        counters.processed += skipped.count

        let changed = mapped.filter { stored[$0.key]?.contentHash != $0.product.contentHash || stored[$0.key]?.status != .synced }
        counters.unchanged += mapped.count - changed.count
        counters.processed += mapped.count - changed.count
        guard !changed.isEmpty else { return }

        let payloads = changed.map(\.product.product)
        let bulk = changed.count >= settings.bulkThreshold
        let outcomes = bulk ? try writer.bulkUpsert(payloads) : try writer.upsert(payloads)
        counters.writeCalls += bulk ? 1 : payloads.count
        guard outcomes.count == changed.count else {
            throw SyncError.writerOutcomeMismatch(expected: changed.count, got: outcomes.count)
        }
        try conn.transaction { tx in try recordOutcomes(changed, outcomes, bulk: bulk, stored: stored, tx, &counters) }
    }

    func recordOutcomes(_ changed: [(key: String, product: MappedProduct)], _ outcomes: [ProductWriteOutcome], bulk: Bool,
                        stored: [String: StoredContent], _ conn: Connection, _ counters: inout SyncProgress) throws {
        var written: [WrittenRecord] = []
        for ((key, product), outcome) in zip(changed, outcomes) {
            let recordKey = RecordKey(tenant: tenant, entity: .item, sourceKey: key)
            let existed = stored[key]?.targetKey != nil
            switch outcome {
            case .written:
                written.append(WrittenRecord(
                    sourceKey: key, targetKey: product.product.sku, contentHash: product.contentHash,
                    auditCode: existed ? "product_updated" : "product_created",
                    auditMessage: "Wrote product \(product.product.sku) to Commerce\(bulk ? " (bulk)" : "")."))
                if existed { counters.updated += 1 } else { counters.created += 1 }
            case .rejected(let error):
                // The hash is not stored, so the next run tries again.
                let result = try records.upsert(conn, recordKey, status: .failed, error: error)
                try records.appendAudit(conn, recordID: result.record.id, tenant: tenant,
                                        .decision("write_failed", error.message, jobID: jobID))
                counters.failed += 1
            }
            counters.processed += 1
        }
        try records.recordWritten(conn, tenant: tenant, entity: .item, written, jobID: jobID)
    }
}
