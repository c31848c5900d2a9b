import Testing
@testable import Commerce

@Suite struct CommerceWebhookEventTests {
    @Test(arguments: [
        (#"{"eventName":"sales_order_place_before","data":{"order":{"increment_id":"000000042","entity_id":42}}}"#,
         CommerceWebhookEvent.Kind.orderPlaced, "000000042", "order:t1:000000042"),
        (#"{"eventName":"observer.sales_order_save_after","data":{"order":{"increment_id":1001}}}"#,
         .orderPlaced, "1001", "order:t1:1001"),
        (#"{"order":{"increment_id":"WA0003003"}}"#, .orderPlaced, "WA0003003", "order:t1:WA0003003"),
        (#"{"eventName":"plugin.magento.sales.api.order_management.place","subject":[],"order":{"increment_id":"7"}}"#,
         .orderPlaced, "7", "order:t1:7"),
        (#"{"eventName":"sales_order_invoice_save_after","data":{"invoice":{"increment_id":"000000005","order_id":9,"state":1}}}"#,
         .invoiceSaved, "000000005", "invoice:t1:000000005"),
        (#"{"eventName":"sales_order_invoice_save_after","data":{"invoice":{"increment_id":"000000006","state":2}}}"#,
         .invoicePaid, "000000006", "invoice:t1:000000006"),
        (#"{"eventName":"sales_order_invoice_pay","data":{"invoice":{"increment_id":"8"}}}"#,
         .invoicePaid, "8", "invoice:t1:8"),
        (#"{"type":"com.adobe.commerce.observer.sales_order_save_after","data":{"value":{"increment_id":"55"}}}"#,
         .orderPlaced, "55", "order:t1:55"),
    ])
    func knownShapesYieldTheirDedupKey(body: String, kind: CommerceWebhookEvent.Kind, incrementId: String, key: String) throws {
        let event = try CommerceWebhookEvent.parse(Array(body.utf8))
        #expect(event.kind == kind)
        #expect(event.incrementId == incrementId)
        #expect(event.dedupKey(tenant: "t1") == key)
    }

    @Test func unknownEventsAreIgnoredNotErrors() throws {
        let event = try CommerceWebhookEvent.parse(Array(#"{"eventName":"customer_login","data":{"customer":{}}}"#.utf8))
        #expect(event.kind == .unknown)
        #expect(event.dedupKey(tenant: "t1") == nil)
    }

    @Test(arguments: [
        ("not json", "webhook_payload_malformed"),
        ("[1,2]", "webhook_payload_malformed"),
        (#"{"eventName":"sales_order_place_before","data":{"order":{"entity_id":1}}}"#, "webhook_increment_id_missing"),
    ])
    func malformedBodiesAreRefused(body: String, code: String) {
        #expect {
            try CommerceWebhookEvent.parse(Array(body.utf8))
        } throws: { ($0 as? CommerceWebhookError)?.code == code }
    }

    @Test func depthScannerIgnoresBracketsInStrings() {
        #expect(JSONDepth.isWithin(Array(#"{"a":"[[[[[[["}"#.utf8), limit: 1))
        #expect(!JSONDepth.isWithin(Array("[[[]]]".utf8), limit: 2))
        #expect(JSONDepth.isWithin(Array("[[[]]]".utf8), limit: 3))
    }
}
