import Foundation
import GP
import Postgres

/// Pages of GP records changed since a date, in order.
public protocol GPPageSource<Page> {
    associatedtype Page
    /// Hands every page of records changed on or after `modifiedSince` (all when nil) to
    /// `onPage`, in order, and returns the newest modified date among what it read (the next
    /// watermark once every page is recorded), nil when nothing carried a date.
    func readPages(modifiedSince: GPDate?, onPage: (Page) throws -> Void) throws -> GPDate?
}

/// The run loop the GP → Commerce syncs share (`ItemSync`, `CustomerSync`): read GP pages
/// modified since the entity's watermark (with overlap; all of them for `mode: full`), record
/// each page, report progress after every page, and move the watermark only after the last page,
/// to the newest GP modified date read. GP lists are not sorted by date, so an earlier move
/// could skip items of a later page after a crash; a crash re-reads from the old watermark and
/// the stored content hashes make that cheap.
struct WatermarkedSync {
    let tenant: String
    let entity: String
    let watermarks: WatermarkStore

    /// `record` records one page of `source`, updating the counters.
    func run<Source: GPPageSource>(_ conn: Connection, mode: SyncMode, source: Source,
                   record: (Source.Page, inout SyncProgress) throws -> Void,
                   progress: (SyncProgress) throws -> Void, isCancelled: () -> Bool) throws -> SyncProgress {
        let since: GPDate? = mode == .full ? nil
            : WatermarkOverlap.gpModifiedSince(try watermarks.watermark(conn, tenant: tenant, entity: entity)?.value)
        var counters = SyncProgress()
        let newest = try source.readPages(modifiedSince: since) { page in
            if isCancelled() { throw SyncError.cancelled }
            try record(page, &counters)
            counters.pages += 1
            try progress(counters)
        }
        counters.total = counters.processed
        if let newest, try watermarks.advance(conn, tenant: tenant, entity: entity,
                                             to: WatermarkOverlap.gpWatermark(newestModified: newest)) {
            counters.watermark = newest.description
        }
        try progress(counters)
        return counters
    }
}
