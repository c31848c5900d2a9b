import Commerce
import Connector
import Foundation
import GP
import Postgres
import Testing

@Suite(.serialized) struct ItemSyncTests {
    static let day = GPDate(year: 2026, month: 11, day: 20)!

    func sync(_ source: ListItemSource, _ writer: RecordingWriter, settings: ItemMappingSettings = ItemMappingSettings()) -> ItemSync {
        ItemSync(tenant: "acme", settings: settings, source: source, writer: writer)
    }

    @Test func aSecondRunWithNothingChangedWritesNothing() throws {
        let conn = try FlowsDatabase.connection("itemsync_unchanged")
        let source = ListItemSource(pages: [ItemFixtures.page(["A", "B"]), ItemFixtures.page(["C"])], newest: Self.day)
        let writer = RecordingWriter()
        var reported: [SyncProgress] = []
        let first = try sync(source, writer).run(conn, mode: .incremental) { reported.append($0) }
        #expect(first.created == 3 && first.updated == 0 && first.unchanged == 0)
        #expect(first.processed == 3 && first.total == 3 && first.pages == 2 && first.writeCalls == 3)
        #expect(first.watermark == "2026-11-20")
        #expect(reported.map(\.processed) == [2, 3, 3])
        #expect(writer.writes == 3)

        let second = try sync(source, writer).run(conn, mode: .incremental)
        #expect(second.unchanged == 3 && second.created == 0 && second.writeCalls == 0)
        #expect(writer.writes == 3)
        #expect(source.askedSince == [nil, Self.day])
        let record = try #require(try RecordStore().record(conn, RecordKey(tenant: "acme", entity: .item, sourceKey: "A")))
        #expect(record.status == .synced && record.targetKey == "A" && record.contentHash?.count == 64)
    }

    @Test func aChangedItemIsUpdatedAndAnUnpricedOneSkippedOnceWithItsReason() throws {
        let conn = try FlowsDatabase.connection("itemsync_changes")
        let writer = RecordingWriter()
        _ = try sync(ListItemSource(pages: [ItemFixtures.page(["A", "B"])], newest: Self.day), writer).run(conn, mode: .full)
        var page = ItemFixtures.page(["A", "B", "NOPRICE"])
        page.sites[0].quantityOnHand = 4
        page.prices.removeLast()
        let result = try sync(ListItemSource(pages: [page], newest: Self.day), writer).run(conn, mode: .full)
        #expect(result.updated == 1 && result.unchanged == 1 && result.skipped == 1 && result.created == 0)
        #expect(writer.single.last?.sku == "A" && writer.single.last?.extensionAttributes?.stockItem?.qty == 4)

        let store = RecordStore()
        let skipped = try #require(try store.record(conn, RecordKey(tenant: "acme", entity: .item, sourceKey: "NOPRICE")))
        #expect(skipped.status == .skipped && skipped.lastError?.code == "no_price")
        _ = try sync(ListItemSource(pages: [page], newest: Self.day), writer).run(conn, mode: .full)
        let trail = try store.auditTrail(conn, recordID: skipped.id)
        #expect(trail.map(\.code) == ["skipped"])
        let a = try #require(try store.record(conn, RecordKey(tenant: "acme", entity: .item, sourceKey: "A")))
        #expect(try store.auditTrail(conn, recordID: a.id).map(\.code) == ["product_created", "product_updated"])
    }

    @Test func aRejectedProductIsRecordedFailedAndTriedAgainNextRun() throws {
        let conn = try FlowsDatabase.connection("itemsync_rejected")
        let writer = RecordingWriter()
        writer.reject = ["B"]
        let source = ListItemSource(pages: [ItemFixtures.page(["A", "B"])], newest: Self.day)
        let first = try sync(source, writer).run(conn, mode: .incremental)
        #expect(first.created == 1 && first.failed == 1)
        let failed = try #require(try RecordStore().record(conn, RecordKey(tenant: "acme", entity: .item, sourceKey: "B")))
        #expect(failed.status == .failed && failed.contentHash == nil && failed.lastError?.message.contains("Invalid product") == true)
        writer.reject = []
        let second = try sync(source, writer).run(conn, mode: .incremental)
        #expect(second.created == 1 && second.unchanged == 1 && second.failed == 0)
        #expect(writer.single.map(\.sku) == ["A", "B", "B"])
    }

    @Test func aCrashMidRunLeavesTheWatermarkAndTheRerunOnlyWritesWhatIsLeft() throws {
        let conn = try FlowsDatabase.connection("itemsync_crash")
        let writer = RecordingWriter()
        let source = ListItemSource(pages: [ItemFixtures.page(["A", "B"]), ItemFixtures.page(["C"])], newest: Self.day)
        source.failAfter = 1
        #expect(throws: ListItemSource.Crash.self) { try sync(source, writer).run(conn, mode: .incremental) }
        #expect(try WatermarkStore().watermark(conn, tenant: "acme", entity: ItemSync.watermarkEntity) == nil)
        source.failAfter = nil
        let rerun = try sync(source, writer).run(conn, mode: .incremental)
        #expect(rerun.unchanged == 2 && rerun.created == 1)
        #expect(source.askedSince == [nil, nil])
        #expect(try WatermarkStore().watermark(conn, tenant: "acme", entity: ItemSync.watermarkEntity)?.value == Self.day.date)
    }

    @Test func largeBatchesGoThroughTheBulkEndpoint() throws {
        let conn = try FlowsDatabase.connection("itemsync_bulk")
        var settings = ItemMappingSettings()
        settings.bulkThreshold = 3
        let writer = RecordingWriter()
        let numbers = (1...5).map { "SKU-\($0)" }
        let result = try sync(ListItemSource(pages: [ItemFixtures.page(numbers), ItemFixtures.page(["X"])], newest: nil),
                              writer, settings: settings).run(conn, mode: .full)
        #expect(writer.bulks.map(\.count) == [5])
        #expect(writer.single.map(\.sku) == ["X"])
        #expect(result.created == 6 && result.writeCalls == 2 && result.watermark == nil)
    }

    @Test func aCancelledJobStopsBetweenPages() throws {
        let conn = try FlowsDatabase.connection("itemsync_cancel")
        let source = ListItemSource(pages: [ItemFixtures.page(["A"]), ItemFixtures.page(["B"])], newest: Self.day)
        var pages = 0
        #expect(throws: SyncError.cancelled) {
            try sync(source, RecordingWriter()).run(conn, mode: .full, progress: { _ in pages += 1 }, isCancelled: { pages == 1 })
        }
        #expect(try WatermarkStore().watermark(conn, tenant: "acme", entity: ItemSync.watermarkEntity) == nil)
    }
}
