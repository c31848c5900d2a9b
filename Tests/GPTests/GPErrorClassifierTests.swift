import Foundation
import Testing
@testable import GP

@Suite struct GPErrorClassifierTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let status: Int
        let body: String
        let kind: GPCallContext.Kind
        let code: String
        let retryable: Bool
        var testDescription: String { "\(status) \(code)" }
    }

    static func errors(_ code: String, _ message: String) -> String {
        #"{"Errors":[{"Code":"\#(code)","Message":"\#(message)"}]}"#
    }

    static let cases: [Case] = [
        // As the simulator answers (GP-style codes).
        .init(status: 400, body: errors("DuplicateDocument", "Document number (DOCNUMBR) WEB1 already exists in either RM00401, RM10301, RM20101 or RM30101."), kind: .write, code: "gp_duplicate_document", retryable: false),
        .init(status: 400, body: errors("FiscalPeriodClosed", "The fiscal period for 2024-01-15 is closed for the Sales series."), kind: .write, code: "gp_fiscal_period_closed", retryable: false),
        .init(status: 400, body: errors("CustomerOnHold", "Customer HOLD1 is on hold."), kind: .write, code: "gp_customer_on_hold", retryable: false),
        .init(status: 400, body: errors("CustomerInactive", "Customer OLD1 is inactive."), kind: .write, code: "gp_customer_inactive", retryable: false),
        .init(status: 400, body: errors("UnknownCustomer", "Customer number NOPE does not exist."), kind: .write, code: "gp_unknown_customer", retryable: false),
        .init(status: 400, body: errors("UnknownItem", "Item number NOPE does not exist."), kind: .write, code: "gp_unknown_item", retryable: false),
        .init(status: 400, body: errors("ExchangeRateMissing", "An exchange rate for currency EUR was not found."), kind: .write, code: "gp_exchange_rate_missing", retryable: false),
        .init(status: 400, body: errors("DocumentAmountMismatch", "The document amount 10 does not equal the sum."), kind: .write, code: "gp_document_amount_mismatch", retryable: false),
        // Other wordings a real server may use: eConnect text, WCF's {"Message"}, plain text.
        .init(status: 500, body: #"{"Message":"Error Number = 190  Stored Procedure taRMTransaction  Error Description = Document number (DOCNUMBR) already exists"}"#, kind: .write, code: "gp_duplicate_document", retryable: false),
        .init(status: 400, body: "The posting date is in a period that is closed.", kind: .write, code: "gp_fiscal_period_closed", retryable: false),
        .init(status: 422, body: #"{"error":{"message":"The item 'ABC' is not found"}}"#, kind: .write, code: "gp_unknown_item", retryable: false),
        .init(status: 400, body: #"{"Message":"Invalid customer number."}"#, kind: .write, code: "gp_unknown_customer", retryable: false),
        .init(status: 400, body: #"{"Message":"XCHGRATE is required for a non-functional currency"}"#, kind: .write, code: "gp_exchange_rate_missing", retryable: false),
        .init(status: 400, body: #"{"Message":"Something else is wrong"}"#, kind: .write, code: "gp_validation_failed", retryable: false),
        // Status-driven.
        .init(status: 401, body: "", kind: .list, code: "gp_authentication_failed", retryable: false),
        .init(status: 401, body: errors("DuplicateDocument", "x"), kind: .write, code: "gp_authentication_failed", retryable: false),
        .init(status: 403, body: "Access denied", kind: .read, code: "gp_access_denied", retryable: false),
        .init(status: 404, body: errors("CompanyNotFound", "Company 'Nope' was not found in tenant 'DefaultTenant'."), kind: .read, code: "gp_company_not_found", retryable: false),
        .init(status: 404, body: errors("CompanyNotFound", "Company 'Nope' was not found."), kind: .write, code: "gp_company_not_found", retryable: false),
        .init(status: 404, body: errors("ResourceNotFound", "The resource 'Inventory/Itemz' does not exist."), kind: .list, code: "gp_company_not_found", retryable: false),
        .init(status: 404, body: errors("NotFound", "Customer X was not found."), kind: .read, code: "gp_not_found", retryable: false),
        .init(status: 503, body: errors("ServiceUnavailable", "The Dexterity service is restarting."), kind: .write, code: "gp_service_unavailable", retryable: true),
        .init(status: 500, body: "<html><body><h1>Internal Server Error</h1></body></html>", kind: .list, code: "gp_service_unavailable", retryable: true),
        .init(status: 502, body: "", kind: .read, code: "gp_service_unavailable", retryable: true),
        .init(status: 504, body: "", kind: .write, code: "gp_service_unavailable", retryable: true),
        .init(status: 429, body: "", kind: .list, code: "gp_unexpected_status", retryable: true),
        .init(status: 418, body: "", kind: .list, code: "gp_unexpected_status", retryable: false),
        .init(status: 400, body: errors("DuplicateDocument", "already exists"), kind: .list, code: "gp_validation_failed", retryable: false),
    ]

    @Test(arguments: cases)
    func gpAnswersMapToStableCodesAndRetryability(_ c: Case) {
        let context = GPCallContext(kind: c.kind, resource: "Sales/Receivables/Transactions", company: "Fabrikam, Inc.",
                                    documentNumber: "WEB1", customerId: "AARON", currencyId: "EUR")
        let error = GPErrorClassifier.classify(status: c.status, body: Data(c.body.utf8), context: context)
        #expect(error.code == c.code)
        #expect(error.isRetryable == c.retryable)
        #expect(!error.message.isEmpty)
        #expect(!error.suggestedFix.isEmpty)
    }

    @Test func theServerMessageIsKeptCappedAndHTMLStripped() {
        let context = GPCallContext(kind: .list, resource: "Inventory/Items", company: "X")
        let html = GPErrorClassifier.classify(status: 500, body: Data("<html><b>Dexterity</b> <i>down</i></html>".utf8), context: context)
        #expect(html == .serviceUnavailable(status: 500, serverMessage: "Dexterity down"))
        let long = GPErrorClassifier.classify(status: 400, body: Data(String(repeating: "a", count: 5000).utf8), context: context)
        guard case .validation(let message) = long else { Issue.record("\(long)"); return }
        #expect(message.count <= 300)
    }

    @Test func transportFailuresAreRetryableExceptTLS() {
        #expect(GPError.timeout(seconds: 30).isRetryable)
        #expect(GPError.unreachable(detail: "connection refused").isRetryable)
        #expect(!GPError.tlsFailed(detail: "self-signed certificate").isRetryable)
        #expect(GPError.throttled(tenant: "t", waitedSeconds: 1).isRetryable)
    }

    @Test func everyCodeIsDistinctSnakeCase() {
        let all: [GPError] = [
            .duplicateDocument(documentNumber: "", serverMessage: ""), .fiscalPeriodClosed(serverMessage: ""),
            .customerOnHold(customerId: "", serverMessage: ""), .customerInactive(customerId: "", serverMessage: ""),
            .unknownCustomer(customerId: "", serverMessage: ""), .unknownItem(itemNumber: "", serverMessage: ""),
            .exchangeRateMissing(currencyId: "", serverMessage: ""), .documentAmountMismatch(serverMessage: ""),
            .validation(serverMessage: ""), .authenticationFailed, .accessDenied(serverMessage: ""),
            .companyNotFound(company: "", serverMessage: ""), .notFound(resource: ""),
            .serviceUnavailable(status: 503, serverMessage: ""), .unexpectedStatus(status: 418, serverMessage: ""),
            .timeout(seconds: 1), .unreachable(detail: ""), .tlsFailed(detail: ""), .badResponse(detail: ""),
            .invalidCompanyURL(""), .invalidRequest(""), .throttled(tenant: "", waitedSeconds: 0), .callGateFailed(detail: ""),
        ]
        let codes = all.map(\.code)
        #expect(Set(codes).count == codes.count)
        for code in codes {
            #expect(code.allSatisfy { $0.isLowercase || $0 == "_" }, "\(code)")
        }
    }
}
