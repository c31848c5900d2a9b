import Connector
import Foundation
import GP
import Postgres
import Testing

@Suite(.serialized) struct WatermarkStoreTests {
    let store = WatermarkStore()

    @Test func aWatermarkOnlyMovesForward() throws {
        let conn = try FlowsDatabase.connection("watermarks")
        #expect(try store.watermark(conn, tenant: "acme", entity: "items") == nil)
        let day2 = GPDate(year: 2026, month: 11, day: 2)!.date
        let day1 = GPDate(year: 2026, month: 11, day: 1)!.date
        #expect(try store.advance(conn, tenant: "acme", entity: "items", to: day2))
        #expect(try !store.advance(conn, tenant: "acme", entity: "items", to: day1))
        #expect(try !store.advance(conn, tenant: "acme", entity: "items", to: day2))
        #expect(try store.watermark(conn, tenant: "acme", entity: "items")?.value == day2)
        #expect(try store.advance(conn, tenant: "acme", entity: "items", to: day2.addingTimeInterval(1)))
        #expect(try store.watermark(conn, tenant: "other", entity: "items") == nil)
        try store.reset(conn, tenant: "acme", entity: "items")
        #expect(try store.watermark(conn, tenant: "acme", entity: "items") == nil)
    }

    @Test func textWatermarksCompareAsText() throws {
        let conn = try FlowsDatabase.connection("watermarks_text")
        #expect(try store.advance(conn, tenant: "acme", entity: "orders", toText: "2026-11-20 10:00:00"))
        #expect(try !store.advance(conn, tenant: "acme", entity: "orders", toText: "2026-11-19 23:59:59"))
        #expect(try store.advance(conn, tenant: "acme", entity: "orders", toText: "2026-11-20 10:00:01"))
        #expect(try store.watermark(conn, tenant: "acme", entity: "orders")?.text == "2026-11-20 10:00:01")
    }

    @Test func overlapsRereadGPDaysAndCommerceMinutes() {
        let at = GPDate(year: 2026, month: 3, day: 1)!.date.addingTimeInterval(13 * 3600)
        #expect(WatermarkOverlap.gpModifiedSince(at) == GPDate(year: 2026, month: 3, day: 1))
        #expect(WatermarkOverlap.gpReadFrom(at, overlapDays: 1) == GPDate(year: 2026, month: 2, day: 28))
        #expect(WatermarkOverlap.gpReadFrom(nil, overlapDays: 1) == nil)
        #expect(WatermarkOverlap.gpWatermark(newestModified: GPDate(year: 2026, month: 3, day: 1)!) == GPDate(year: 2026, month: 3, day: 1)!.date)
        #expect(WatermarkOverlap.commerceReadFrom(at) == at.addingTimeInterval(-300))
    }

    @Test func webhookDeliveriesKeepTheRawBytes() throws {
        let conn = try FlowsDatabase.connection("deliveries")
        let deliveries = WebhookDeliveryStore()
        let body: [UInt8] = Array(#"{"eventName":"sales_order_place_before","data":{"order":{"increment_id":"1"}}}"#.utf8) + [0, 255]
        let id = try deliveries.insert(conn, tenant: "acme", eventName: "observer.sales_order_place_before",
                                       dedupKey: "order:acme:1", body: body, signatureOK: true)
        try deliveries.insert(conn, tenant: "acme", eventName: "x", dedupKey: nil, body: [], signatureOK: false)
        let list = try deliveries.list(conn, tenant: "acme")
        #expect(list.count == 2)
        #expect(list[1].id == id && list[1].body == body && list[1].signatureOK && list[1].dedupKey == "order:acme:1")
        #expect(try deliveries.list(conn, tenant: "acme", before: list[0].id).map(\.id) == [id])
        #expect(try deliveries.prune(conn, receivedBefore: Date().addingTimeInterval(60)) == 2)
    }
}
