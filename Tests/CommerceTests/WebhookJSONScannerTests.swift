import Foundation
import Testing
@testable import Commerce

/// The scanner (fast path of `CommerceWebhookEvent.parse`) against the full `JSONSerialization`
/// parse: whenever it answers, the event read from its members is the event read from the full
/// parse; whenever it is unsure or the body is not valid JSON, it answers nil.
@Suite struct WebhookJSONScannerTests {
    static let benchOrder = #"{"eventName":"observer.sales_order_place_after","data":{"order":{"entity_id":100001,"increment_id":"B00000001","state":"processing","customer_email":"buyer1@example.com","grand_total":277.14,"order_currency_code":"USD","items":[{"sku":"SKU-00000","qty_ordered":1,"price":10},{"sku":"SKU-00001","qty_ordered":2,"price":11}]}}}"#

    /// Bodies the fast path must take (the shapes Commerce sends).
    static let common = [
        benchOrder,
        #"{"eventName":"sales_order_place_before","data":{"order":{"increment_id":"000000042","entity_id":42}}}"#,
        #"{"eventName":"observer.sales_order_save_after","data":{"order":{"increment_id":1001}}}"#,
        #"{"order":{"increment_id":"WA0003003"}}"#,
        #"{"eventName":"plugin.magento.sales.api.order_management.place","subject":[],"order":{"increment_id":"7"}}"#,
        #"{"eventName":"sales_order_invoice_save_after","data":{"invoice":{"increment_id":"000000005","order_id":9,"state":1}}}"#,
        #"{"eventName":"sales_order_invoice_pay","data":{"invoice":{"increment_id":"8","order":{"increment_id":"77"}}}}"#,
        #"{"type":"com.adobe.commerce.observer.sales_order_save_after","data":{"value":{"increment_id":"55"}}}"#,
        #" { "eventName" : "customer_login" , "data" : { "customer" : { "name" : "A \"B\" \\ C\/D\n" , "ok" : true , "n" : -1.5e3 } } } "#,
        #"{"eventName":"sales_order_place_before","data":{"order":null}}"#,
        #"{"eventName":"sales_order_place_before","data":{"order":{"increment_id":"ü-1","entity_id":0}}}"#,
    ]

    /// Valid JSON the scanner may hand over to the full parse (and must agree when it does not).
    static let unusual = [
        #"{"eventName":"sales_order_place_before","data":{"order":{"increment_id":"\u0041B"}}}"#,
        #"{"eventName":"sales_order_place_before","data":{"order":{"increment_id":"A\"B"}}}"#,
        #"{"eventName":"sales_order_place_before","data":{"order":{"increment_id":12.5}}}"#,
        #"{"eventName":"sales_order_place_before","data":{"order":{"increment_id":-3}}}"#,
        #"{"eventName":"sales_order_place_before","data":{"order":{"increment_id":true}}}"#,
        #"{"eventName":"sales_order_place_before","data":{"order":[{"increment_id":"1"}]},"order":{"increment_id":"2"}}"#,
        #"{"eventName":"sales_order_place_before","data":{"order":{"increment_id":"1"}},"eventName":"x"}"#,
        #"{"eventName":"sales_order_place_before","data":{"order":{"increment_id":99999999999999999999999}}}"#,
        #"{"event\u004eame":"sales_order_place_before","order":{"increment_id":"3"}}"#,
        #"{"eventName":7,"event_name":"sales_order_place_before","order":{"increment_id":"4"}}"#,
        #"{"eventName":"sales_order_invoice_save_after","data":{"invoice":{"increment_id":"5","state":"2"}}}"#,
    ]

    static let invalid = [
        "", "not json", "[1,2]", #""order""#, "{", #"{"a":1,}"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":.5}"#, #"{"a":-}"#,
        #"{"a":1e}"#, #"{"a":tru}"#, #"{"a":"x}"#, "{\"a\":\"x\ty\"}", #"{"a":1} x"#, #"{"a" 1}"#, #"{a:1}"#,
        #"{"a":[1,]}"#, #"{"a":"\x"}"#, "{\"a\":\"\u{1}\"}",
        #"{"note":"\uD800","order":{"increment_id":"6"}}"#,  // a lone surrogate: JSONSerialization refuses it
    ]

    static func full(_ body: String) -> Result<CommerceWebhookEvent, CommerceWebhookError>? {
        guard let root = try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]) as? [String: Any] else {
            return nil
        }
        return Result { () throws(CommerceWebhookError) in try CommerceWebhookEvent.event(from: root, invoicePaidState: 2) }
    }

    static func fast(_ body: String) -> Result<CommerceWebhookEvent, CommerceWebhookError>? {
        guard let root = WebhookJSONScanner.keptMembers(of: Array(body.utf8)) else { return nil }
        return Result { () throws(CommerceWebhookError) in try CommerceWebhookEvent.event(from: root, invoicePaidState: 2) }
    }

    @Test(arguments: common)
    func theShapesCommerceSendsTakeTheFastPathAndReadTheSameEvent(body: String) throws {
        let fast = try #require(Self.fast(body))
        #expect(fast == Self.full(body))
    }

    @Test(arguments: unusual)
    func unusualBodiesReadTheSameEventEitherWay(body: String) throws {
        let full = try #require(Self.full(body), "valid JSON for JSONSerialization")
        if let fast = Self.fast(body) { #expect(fast == full) }
        let parsed = Result { () throws(CommerceWebhookError) in try CommerceWebhookEvent.parse(Array(body.utf8)) }
        #expect(parsed == full)
    }

    @Test(arguments: invalid)
    func invalidJSONIsNeverTakenByTheFastPath(body: String) {
        #expect(WebhookJSONScanner.keptMembers(of: Array(body.utf8)) == nil)
    }

    @Test func invalidUTF8IsLeftToTheFullParse() {
        var bytes = Array(#"{"order":{"increment_id":"1"},"x":"ab"}"#.utf8)
        bytes[bytes.count - 3] = 0xC3  // a lead byte followed by an ASCII byte
        #expect(WebhookJSONScanner.keptMembers(of: bytes) == nil)
    }
}
