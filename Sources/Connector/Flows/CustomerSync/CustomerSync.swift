import Commerce
import Foundation
import GP
import Postgres

/// The `sync_customers` job's logic: GP customers since the watermark → Commerce accounts.
///
/// Per customer: map (`CustomerMapping`; no e-mail or a policy → skipped with the reason); skip
/// when the hash equals the last written one; otherwise match (`CustomerMatch`: our stored
/// mapping, else the account with the same e-mail, else create) and write. The record keeps the
/// Commerce id (target key) and the lower-cased e-mail (match key) so orders map back by e-mail.
/// An account whose e-mail belongs to another GP customer is a `conflict` for a person. The
/// watermark moves after the last page, as for items.
public struct CustomerSync {
    public static let watermarkEntity = "customers"

    public let tenant: String
    public let settings: CustomerMappingSettings
    public let source: any CustomerPageSource
    public let writer: any CustomerWriter
    public let records: RecordStore
    public let watermarks: WatermarkStore
    public var jobID: Int64?

    public init(tenant: String, settings: CustomerMappingSettings, source: any CustomerPageSource, writer: any CustomerWriter,
                records: RecordStore = RecordStore(), watermarks: WatermarkStore = WatermarkStore(), jobID: Int64? = nil) {
        self.tenant = tenant
        self.settings = settings
        self.source = source
        self.writer = writer
        self.records = records
        self.watermarks = watermarks
        self.jobID = jobID
    }

    /// Same contract as `ItemSync.run`; `conflicts` count in `failed`.
    public func run(_ conn: Connection, mode: SyncMode, progress: (SyncProgress) throws -> Void = { _ in },
                    isCancelled: () -> Bool = { false }) throws -> SyncProgress {
        try WatermarkedSync(tenant: tenant, entity: Self.watermarkEntity, watermarks: watermarks).run(
            conn, mode: mode, source: source, record: { try record($0, conn, &$1) }, progress: progress,
            isCancelled: isCancelled)
    }

    func record(_ page: CustomerPage, _ conn: Connection, _ counters: inout SyncProgress) throws {
        let keys = page.customers.map { $0.customerId.trimmingCharacters(in: .whitespaces) }
        let stored = try records.storedContent(conn, tenant: tenant, entity: .customer, sourceKeys: keys)
        let addresses = Dictionary(grouping: page.addresses) { $0.customerId.trimmingCharacters(in: .whitespaces).uppercased() }
        for (gp, key) in zip(page.customers, keys) where !key.isEmpty {
            counters.processed += 1
            let recordKey = RecordKey(tenant: tenant, entity: .customer, sourceKey: key)
            let previous = stored[key]
            let mapped: MappedCustomer
            switch CustomerMapping.map(customer: gp, addresses: addresses[key.uppercased()] ?? [], settings: settings) {
            case .success(let m): mapped = m
            case .failure(let reason):
                let result = try records.upsert(conn, recordKey, status: .skipped, error: RecordError(reason))
                if previous?.status != .skipped || previous == nil {
                    try audit(conn, result.record.id, .decision("skipped", reason.message))
                }
                counters.skipped += 1
                continue
            }
            if previous?.contentHash == mapped.contentHash && previous?.status == .synced {
                counters.unchanged += 1
                continue
            }
            try write(mapped, gpId: key, recordKey: recordKey, storedTarget: previous?.targetKey, conn, &counters)
        }
    }

    func write(_ mapped: MappedCustomer, gpId: String, recordKey: RecordKey, storedTarget: String?, _ conn: Connection,
               _ counters: inout SyncProgress) throws {
        var target = storedTarget
        var outcome: CustomerWriteOutcome = .missing
        var how = ""
        // A stored mapping whose account was deleted in Commerce falls back to e-mail, then create.
        for _ in 0..<2 {
            let found = target == nil ? try writer.find(email: mapped.email, websiteId: settings.websiteId) : nil
            switch CustomerMatch.decide(gpCustomerId: gpId, storedTargetKey: target, foundByEmail: found,
                                        gpIdAttributeCode: settings.gpIdAttributeCode) {
            case .updateMapped(let id): (outcome, how) = (try writer.update(id: id, mapped.customer), "customer_updated")
            case .adoptByEmail(let id): (outcome, how) = (try writer.update(id: id, mapped.customer), "matched_by_email")
            case .create: (outcome, how) = (try writer.create(mapped.customer), "customer_created")
            case .conflict(let reason):
                let result = try records.upsert(conn, recordKey, status: .conflict, matchKey: mapped.email,
                                                error: RecordError(code: "email_belongs_to_other_customer", message: reason,
                                                                   fix: "Correct the e-mail in GP or the GP id on the Commerce account, then sync again."))
                try audit(conn, result.record.id, .decision("conflict", reason))
                counters.failed += 1
                return
            }
            if outcome != .missing { break }
            target = nil
        }
        counters.writeCalls += 1
        switch outcome {
        case .written(let id):
            let result = try records.upsert(conn, recordKey, status: .synced, targetKey: String(id),
                                            contentHash: mapped.contentHash, matchKey: mapped.email)
            try audit(conn, result.record.id, .decision(how, "Commerce customer \(id) (\(mapped.email)) written."))
            if how == "customer_created" { counters.created += 1 } else { counters.updated += 1 }
        case .rejected(let error):
            let result = try records.upsert(conn, recordKey, status: .failed, matchKey: mapped.email, error: error)
            try audit(conn, result.record.id, .decision("write_failed", error.message))
            counters.failed += 1
        case .missing:
            let error = RecordError(code: "commerce_customer_missing", message: "Commerce lost the customer account while it was being written.")
            _ = try records.upsert(conn, recordKey, status: .failed, error: error)
            counters.failed += 1
        }
    }

    func audit(_ conn: Connection, _ recordID: Int64, _ entry: AuditEntry) throws {
        var entry = entry
        entry.jobID = jobID
        try records.appendAudit(conn, recordID: recordID, tenant: tenant, entry)
    }
}
