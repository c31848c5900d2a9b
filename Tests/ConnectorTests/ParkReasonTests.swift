import Connector
import Foundation
import GP
import Testing

@Suite struct ParkReasonTests {
    @Test(arguments: [
        (GPError.fiscalPeriodClosed(serverMessage: "period 11 closed"), "fiscal_period_closed", RecordStatus.needsAttention),
        (GPError.customerOnHold(customerId: "AARON", serverMessage: ""), "customer_on_hold", .needsAttention),
        (GPError.customerInactive(customerId: "AARON", serverMessage: ""), "customer_inactive", .needsAttention),
        (GPError.unknownCustomer(customerId: "NOPE", serverMessage: ""), "unknown_customer", .needsAttention),
        (GPError.exchangeRateMissing(currencyId: "EUR", serverMessage: ""), "exchange_rate_missing", .needsAttention),
        (GPError.validation(serverMessage: "Batch is being posted"), "gp_validation_failed", .needsAttention),
        (GPError.authenticationFailed, "gp_authentication_failed", .needsAttention),
    ])
    func permanentGPErrorsPark(_ t: (GPError, String, RecordStatus)) throws {
        let reason = try #require(ParkReason.from(t.0, documentDate: "2026-11-20"))
        #expect(reason.code == t.1)
        #expect(reason.status == t.2)
        #expect(!reason.message.isEmpty)
        #expect(!reason.suggestedFix.isEmpty)
    }

    @Test(arguments: [
        GPError.serviceUnavailable(status: 503, serverMessage: ""), .timeout(seconds: 30), .unreachable(detail: "refused"),
        .duplicateDocument(documentNumber: "WEB1", serverMessage: ""),
    ])
    func retryableErrorsAndDuplicatesDoNotPark(_ error: GPError) {
        #expect(ParkReason.from(error) == nil)
    }

    static let all: [ParkReason] = [
        .fiscalPeriodClosed(date: "2026-11-20", gpMessage: "closed"), .customerOnHold(customerId: "A"),
        .customerInactive(customerId: "A"), .exchangeRateMissing(currency: "EUR", detail: "none"),
        .unknownCustomer(customerId: "A"), .amountsDoNotAddUp(grandTotal: 10, sumOfParts: 11),
        .amountMissing(field: "subtotal"), .documentNumberTooLong(documentNumber: String(repeating: "9", count: 18), limit: 17),
        .batchIdTooLong(batchId: String(repeating: "B", count: 16), limit: 15), .noGuestCustomer(email: nil),
        .customerIdTooLong(customerId: String(repeating: "C", count: 16), limit: 15),
        .duplicateConflict(documentNumber: "WEB1", detail: "customer differs"), .orderNeverAppeared(incrementId: "1"),
    ]

    @Test func everyReasonHasAStableSnakeCaseCodeASentenceAndAFix() {
        var codes = Set<String>()
        for reason in Self.all {
            #expect(reason.code.allSatisfy { $0.isLowercase || $0 == "_" }, "\(reason.code)")
            #expect(reason.message.count > 10, "\(reason.message)")
            #expect(!reason.suggestedFix.isEmpty)
            codes.insert(reason.code)
        }
        #expect(codes.count == Self.all.count)
        #expect(ParkReason.duplicateConflict(documentNumber: "X", detail: "d").status == .conflict)
        #expect(ParkReason.orderNeverAppeared(incrementId: "1").status == .abandoned)
        #expect(ParkReason.amountsDoNotAddUp(grandTotal: 10, sumOfParts: Decimal(string: "10.01")!).message.contains("by 0.01"))
    }
}
