import Foundation
import TestSupport
import HTTPClient
import Testing
import GP
import Simulators

/// Posting receivables invoices to the GP simulator: success, read-back, and every failure mode.
@Suite struct GPClientReceivablesTests {
    /// Runs `body` on its own thread and returns the GPError it threw, or nil.
    func failure(_ body: @escaping @Sendable () throws -> Void) async throws -> GPError? {
        try await onThread { () throws -> GPError? in
            do {
                try body()
                return nil
            } catch let error as GPError {
                return error
            }
        }
    }

    @Test func anInvoiceIsCreatedAndReadBackWithExactAmounts() async throws {
        let fixture = try SimulatorFixture(seed: SimulatorFixture.seed)
        let client = try fixture.client()
        let invoice = SimulatorFixture.invoice("WEB100000001")
        let back = try await onThread { () throws -> ReceivablesInvoice? in
            try client.createReceivablesInvoice(invoice)
            return try client.receivablesInvoice(documentNumber: "WEB100000001")
        }
        #expect(back?.documentAmount == Decimal(string: "108.20"))
        #expect(back?.isSameDocument(as: invoice) == true)
        #expect(back?.batchId == "WEB20240510")
        #expect(back?.currencyId == "USD")
        let posted = fixture.sim.postedDocuments
        #expect(posted.count == 1)
        #expect(posted.first?.company == "Fabrikam, Inc.")
        #expect(try await onThread { try client.receivablesInvoice(documentNumber: "NOPE") } == nil)
    }

    @Test func aForeignCurrencyInvoiceCarriesItsExchangeRate() async throws {
        let fixture = try SimulatorFixture(seed: SimulatorFixture.seed)
        let client = try fixture.client()
        let back = try await onThread { () throws -> ReceivablesInvoice? in
            try client.createReceivablesInvoice(SimulatorFixture.invoice("FX1", currency: "EUR", rate: "1.0825"))
            try client.createReceivablesInvoice(SimulatorFixture.invoice("FX2", currency: "CAD"))
            return try client.receivablesInvoice(documentNumber: "FX1")
        }
        #expect(back?.exchangeRate == Decimal(string: "1.0825"))
        #expect(fixture.sim.postedDocuments.last?.exchangeRate == Decimal(string: "1.36"))
    }

    struct FailureCase: Sendable, CustomTestStringConvertible {
        let name: String
        let invoice: ReceivablesInvoice
        let code: String
        var testDescription: String { name }
    }

    static let failureCases: [FailureCase] = [
        .init(name: "customer on hold", invoice: SimulatorFixture.invoice("F1", customer: "HOLD0001"), code: "gp_customer_on_hold"),
        .init(name: "customer inactive", invoice: SimulatorFixture.invoice("F2", customer: "GONE0001"), code: "gp_customer_inactive"),
        .init(name: "unknown customer", invoice: SimulatorFixture.invoice("F3", customer: "NOBODY"), code: "gp_unknown_customer"),
        .init(name: "fiscal period closed", invoice: SimulatorFixture.invoice("F4", date: GPDate(year: 2024, month: 1, day: 15)!), code: "gp_fiscal_period_closed"),
        .init(name: "exchange rate missing", invoice: SimulatorFixture.invoice("F5", currency: "EUR"), code: "gp_exchange_rate_missing"),
    ]

    @Test(arguments: failureCases)
    func eachGPRuleIsAPermanentTypedError(_ c: FailureCase) async throws {
        let fixture = try SimulatorFixture(seed: SimulatorFixture.seed)
        let client = try fixture.client()
        let error = try await failure { try client.createReceivablesInvoice(c.invoice) }
        #expect(error?.code == c.code)
        #expect(error?.isRetryable == false)
        #expect(error?.suggestedFix.isEmpty == false)
        #expect(fixture.sim.postedDocuments.isEmpty)
    }

    @Test func aDuplicateDocumentNumberIsRefusedAcrossCompanies() async throws {
        let fixture = try SimulatorFixture(seed: SimulatorFixture.seed)
        let client = try fixture.client()
        let other = try fixture.client(company: "Fabrikam Canada")
        let error = try await failure {
            try client.createReceivablesInvoice(SimulatorFixture.invoice("DUP1"))
            try other.createReceivablesInvoice(SimulatorFixture.invoice("dup1"))
        }
        #expect(error == .duplicateDocument(documentNumber: "dup1",
                                            serverMessage: "Document number (DOCNUMBR) dup1 already exists in either RM00401, RM10301, RM20101 or RM30101."))
        #expect(error?.isRetryable == false)
    }

    @Test func aDocumentAmountThatIsNotTheSumIsRefusedBeforeAnyCall() async throws {
        let fixture = try SimulatorFixture(seed: SimulatorFixture.seed)
        let client = try fixture.client()
        var invoice = SimulatorFixture.invoice("AMT1")
        invoice.documentAmount += Decimal(string: "0.01")!
        let bad = invoice
        let error = try await failure { try client.createReceivablesInvoice(bad) }
        #expect(error?.code == "gp_invalid_request")
        #expect(fixture.sim.stats.requests == 0)
    }

    @Test func aWrongPasswordIsAuthenticationFailed() async throws {
        let fixture = try SimulatorFixture(seed: SimulatorFixture.seed)
        let client = try fixture.client(password: "not-the-password")
        let error = try await failure { try client.createReceivablesInvoice(SimulatorFixture.invoice("A1")) }
        #expect(error == .authenticationFailed)
        #expect(error?.isRetryable == false)
    }

    @Test func anUnknownCompanyIsCompanyNotFound() async throws {
        let fixture = try SimulatorFixture(configure: { $0.companies = ["Fabrikam, Inc."] }, seed: SimulatorFixture.seed)
        let client = try fixture.client(company: "Fabrikam Inc")
        let error = try await failure { try client.createReceivablesInvoice(SimulatorFixture.invoice("C1")) }
        #expect(error?.code == "gp_company_not_found")
        #expect(error?.isRetryable == false)
        let readError = try await failure { _ = try client.customer("AARONFIT0001") }
        #expect(readError?.code == "gp_company_not_found")
    }

    @Test func aRestartingServiceIsRetryableAndTheRetrySucceeds() async throws {
        let fixture = try SimulatorFixture(seed: SimulatorFixture.seed)
        fixture.sim.injectFaults(GPSimulatorFaults(failNext: 2, failStatus: 503))
        let client = try fixture.client()
        let invoice = SimulatorFixture.invoice("R1")
        let first = try await failure { try client.createReceivablesInvoice(invoice) }
        #expect(first?.code == "gp_service_unavailable")
        #expect(first?.isRetryable == true)
        fixture.sim.injectFaults(GPSimulatorFaults(failNext: 1, failStatus: 500))
        let second = try await failure { try client.createReceivablesInvoice(invoice) }
        #expect(second == .serviceUnavailable(status: 500, serverMessage: "The Dynamics GP service is not available: the Dexterity service is restarting."))
        #expect(try await failure { try client.createReceivablesInvoice(invoice) } == nil)
        #expect(fixture.sim.postedDocuments.count == 1)
    }

    @Test func aSlowServiceTimesOutAsRetryable() async throws {
        let fixture = try SimulatorFixture(seed: SimulatorFixture.seed)
        fixture.sim.injectFaults(GPSimulatorFaults(slowNext: 1, slowMs: 1_500))
        var settings = GPSettings()
        settings.requestTimeout = 0.3
        let client = try fixture.client(settings: settings)
        let error = try await failure { _ = try client.customer("AARONFIT0001") }
        #expect(error?.code == "gp_timeout")
        #expect(error?.isRetryable == true)
    }

    @Test func aLostAnswerThenARetryEndsAlreadyPostedExactlyOnce() async throws {
        let fixture = try SimulatorFixture(seed: SimulatorFixture.seed)
        fixture.sim.injectFaults(GPSimulatorFaults(loseResponseNext: 1))
        let client = try fixture.client()
        let invoice = SimulatorFixture.invoice("ONCE1")
        let lost = try await failure { _ = try client.postReceivablesInvoice(invoice) }
        #expect(lost?.isRetryable == true)
        let outcome = try await onThread { try client.postReceivablesInvoice(invoice) }
        guard case .alreadyPosted(let existing) = outcome else { Issue.record("\(outcome)"); return }
        #expect(existing.documentAmount == invoice.documentAmount)
        #expect(fixture.sim.postedDocuments.count == 1)
    }

    @Test func aDuplicateThatDoesNotMatchIsAConflictNotASuccess() async throws {
        let fixture = try SimulatorFixture(seed: SimulatorFixture.seed)
        let client = try fixture.client()
        let created = try await onThread { try client.postReceivablesInvoice(SimulatorFixture.invoice("CONF1")) }
        #expect(created == .created)
        let error = try await failure { _ = try client.postReceivablesInvoice(SimulatorFixture.invoice("CONF1", sales: "999.00")) }
        #expect(error?.code == "gp_duplicate_document")
    }
}
