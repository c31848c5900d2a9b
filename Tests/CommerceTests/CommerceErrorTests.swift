import Foundation
import Testing
@testable import Commerce

@Suite struct CommerceErrorTests {
    @Test(arguments: [
        ("No such entity with %fieldName = %fieldValue", [String](), ["fieldName": "customerId", "fieldValue": "7"],
         "No such entity with customerId = 7"),
        ("Signature method %1 is not supported", ["HMAC-SHA1"], [:], "Signature method HMAC-SHA1 is not supported"),
        ("%1 and %2 and %3", ["a", "b"], [:], "a and b and %3"),
        ("\"%fieldName\" is required. Enter and try again.", [], ["fieldName": "searchCriteria"],
         "\"searchCriteria\" is required. Enter and try again."),
        ("100% sure %", [], [:], "100% sure %"),
        ("%field%fieldName", [], ["field": "F", "fieldName": "N"], "FN"),
    ])
    func placeholdersAreFilled(template: String, positional: [String], named: [String: String], expected: String) {
        #expect(MagentoErrorMessage.fill(template, positional: positional, named: named) == expected)
    }

    @Test func magentoBodyIsParsedWithNumericParameters() throws {
        let body = #"{"message":"No such entity with %fieldName = %fieldValue","parameters":{"fieldName":"customerId","fieldValue":42}}"#
        let message = try #require(MagentoErrorMessage.parse(Array(body.utf8)))
        #expect(message.rendered == "No such entity with customerId = 42")
    }

    @Test func aggregatedErrorsAreAppended() throws {
        let body = #"{"message":"One or more input exceptions have occurred.","errors":[{"message":"\"%fieldName\" is required. Enter and try again.","parameters":{"fieldName":"email"}}]}"#
        let message = try #require(MagentoErrorMessage.parse(Array(body.utf8)))
        #expect(message.rendered == "One or more input exceptions have occurred. (\"email\" is required. Enter and try again.)")
    }

    @Test(arguments: [
        (400, "commerce_rejected", false), (401, "commerce_unauthorized", false), (403, "commerce_forbidden", false),
        (404, "commerce_not_found", false), (405, "commerce_rejected", false), (429, "commerce_rate_limited", true),
        (500, "commerce_server_error", true), (503, "commerce_server_error", true), (302, "commerce_unexpected_status", false),
    ])
    func statusesMapToStableCodes(status: Int, code: String, retryable: Bool) {
        let error = CommerceError.from(status: status, body: Array(#"{"message":"x"}"#.utf8), retryAfter: nil)
        #expect(error.code == code)
        #expect(error.isRetryable == retryable)
    }

    @Test func rateLimitUsesRetryAfterOrTheDefault() {
        #expect(CommerceError.from(status: 429, body: [UInt8](), retryAfter: "7").retryAfter == 7)
        #expect(CommerceError.from(status: 429, body: [UInt8](), retryAfter: nil, defaultRetryAfter: 5).retryAfter == 5)
        #expect(CommerceError.from(status: 429, body: [UInt8](), retryAfter: "soon", defaultRetryAfter: 5).retryAfter == 5)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(CommerceError.parseRetryAfter("Tue, 14 Nov 2023 22:13:30 GMT", now: now) == 10)
    }

    @Test func htmlErrorPagesDoNotLeakIntoMessages() {
        let error = CommerceError.from(status: 502, body: Array("<html>bad gateway</html>".utf8), retryAfter: nil)
        #expect(error.message == "Adobe Commerce failed (502): HTTP 502 without a Magento error body")
    }
}
