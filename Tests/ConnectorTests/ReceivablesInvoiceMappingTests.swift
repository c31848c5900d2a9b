import Connector
import Foundation
import GP
import Testing

@Suite struct ReceivablesInvoiceMappingTests {
    static let today = GPDate(year: 2026, month: 11, day: 26)!

    static func doc(subtotal: String? = "100.00", discount: String = "-10.00", shipping: String = "5.00", tax: String = "7.43",
                    grand: String? = "102.43", base: String? = nil, currency: String = "USD", baseCurrency: String = "USD",
                    increment: String = "000000123", created: String? = "2026-11-20 23:59:59") -> SalesDocument {
        SalesDocument(kind: .order, orderIncrementId: increment, incrementId: increment, customerEmail: "A@B.example",
                      orderCurrency: currency, baseCurrency: baseCurrency, subtotal: subtotal.map { Decimal(string: $0)! },
                      discount: Decimal(string: discount)!, shipping: Decimal(string: shipping)!, tax: Decimal(string: tax)!,
                      grandTotal: grand.map { Decimal(string: $0)! }, baseGrandTotal: base.map { Decimal(string: $0)! },
                      createdAt: created)
    }

    static func settings(_ edit: (inout PostingSettings) -> Void = { _ in }) -> PostingSettings {
        var s = PostingSettings()
        edit(&s)
        return s
    }

    @Test func mapsAmountsNumberBatchAndDate() throws {
        let inv = try ReceivablesInvoiceMapping.map(Self.doc(), customerId: "AARONFIT0001", settings: Self.settings(), today: Self.today).get()
        #expect(inv.documentNumber == "WEB000000123")
        #expect(inv.batchId == "WEB261120")
        #expect(inv.documentDate == GPDate(year: 2026, month: 11, day: 20))
        #expect(inv.customerId == "AARONFIT0001")
        #expect(inv.salesAmount == 90)
        #expect(inv.freightAmount == 5)
        #expect(inv.taxAmount == Decimal(string: "7.43"))
        #expect(inv.tradeDiscountAmount == 0)
        #expect(inv.documentAmount == Decimal(string: "102.43"))
        #expect(inv.currencyId == nil && inv.exchangeRate == nil)
        #expect(inv.description == "Commerce order 000000123")
        try inv.validate()
    }

    struct ParkCase: Sendable, CustomTestStringConvertible {
        var name: String
        var doc: SalesDocument
        var settings: PostingSettings
        var code: String
        var messageContains: String
        var testDescription: String { name }
    }

    static let parkCases: [ParkCase] = [
        ParkCase(name: "parts off by a cent", doc: doc(grand: "102.44"), settings: settings(),
                 code: "amounts_do_not_add_up", messageContains: "by -0.01"),
        ParkCase(name: "a discount on shipping Commerce did not split", doc: doc(discount: "-15.00"), settings: settings(),
                 code: "amounts_do_not_add_up", messageContains: "97.43"),
        ParkCase(name: "no grand total", doc: doc(grand: nil), settings: settings(), code: "amount_missing", messageContains: "grand_total"),
        ParkCase(name: "no subtotal", doc: doc(subtotal: nil), settings: settings(), code: "amount_missing", messageContains: "subtotal"),
        ParkCase(name: "document number over 17", doc: doc(increment: "2000000000123456"), settings: settings(),
                 code: "document_number_too_long", messageContains: "19 characters"),
        ParkCase(name: "batch id over 15", doc: doc(), settings: settings { $0.batchPrefix = "WEBSTORE"; $0.batchDateFormat = .yyyyMMdd },
                 code: "batch_id_too_long", messageContains: "WEBSTORE20261120"),
        ParkCase(name: "foreign currency with a base that is not functional", doc: doc(currency: "EUR", baseCurrency: "GBP"),
                 settings: settings { $0.functionalCurrency = "USD" }, code: "exchange_rate_missing", messageContains: "GBP"),
        ParkCase(name: "foreign currency without base totals", doc: doc(currency: "EUR"),
                 settings: settings { $0.functionalCurrency = "USD" }, code: "exchange_rate_missing", messageContains: "EUR"),
    ]

    @Test("parks instead of posting", arguments: parkCases)
    func parks(_ c: ParkCase) {
        switch ReceivablesInvoiceMapping.map(c.doc, customerId: "C1", settings: c.settings, today: Self.today) {
        case .success(let inv): Issue.record("expected \(c.code), got \(inv)")
        case .failure(let reason):
            #expect(reason.code == c.code)
            #expect(reason.message.contains(c.messageContains), "\(reason.message)")
            #expect(!reason.suggestedFix.isEmpty)
        }
    }

    @Test func roundsEachPartToTheCentBeforeComparing() throws {
        let inv = try ReceivablesInvoiceMapping.map(Self.doc(subtotal: "100.004", tax: "7.4349"), customerId: "C1",
                                                    settings: Self.settings(), today: Self.today).get()
        #expect(inv.salesAmount == Decimal(string: "90"))
        #expect(inv.taxAmount == Decimal(string: "7.43"))
    }

    @Test func multicurrencyCarriesCurrencyAndRate() throws {
        let eur = Self.doc(subtotal: "100.00", discount: "0", shipping: "0", tax: "0", grand: "100.00", base: "108.25", currency: "EUR")
        let multiply = try ReceivablesInvoiceMapping.map(eur, customerId: "C1", settings: Self.settings { $0.functionalCurrency = "USD" },
                                                         today: Self.today).get()
        #expect(multiply.currencyId == "EUR")
        #expect(multiply.exchangeRate == Decimal(string: "1.0825"))
        let divide = try ReceivablesInvoiceMapping.map(eur, customerId: "C1", settings: Self.settings {
            $0.functionalCurrency = "USD"; $0.exchangeRateStyle = .divide }, today: Self.today).get()
        #expect(divide.exchangeRate == Decimal(string: "0.9237875"))
        let usd = try ReceivablesInvoiceMapping.map(Self.doc(), customerId: "C1", settings: Self.settings { $0.functionalCurrency = "USD" },
                                                    today: Self.today).get()
        #expect(usd.currencyId == "USD" && usd.exchangeRate == nil)
    }

    @Test func aDocumentWithoutADateUsesToday() throws {
        let inv = try ReceivablesInvoiceMapping.map(Self.doc(created: nil), customerId: "C1", settings: Self.settings(), today: Self.today).get()
        #expect(inv.documentDate == Self.today)
        #expect(inv.batchId == "WEB261126")
    }

    @Test func anInvoicePostsItsOwnAmountsUnderTheOrderNumber() throws {
        let order = try JSONDecoder.commerce.decode(CommerceOrderFixture.self, from: Data(CommerceOrderFixture.json.utf8))
        let doc = SalesDocument(invoice: order.invoice, order: order.order)
        #expect(doc.kind == .invoice)
        #expect(doc.orderIncrementId == "000000777")
        #expect(doc.incrementId == "000000031")
        #expect(doc.discount == 5)
        let inv = try ReceivablesInvoiceMapping.map(doc, customerId: "C1", settings: Self.settings(), today: Self.today).get()
        #expect(inv.documentNumber == "WEB000000777")
        #expect(inv.documentAmount == Decimal(string: "50.00"))
        #expect(inv.documentDate == GPDate(year: 2026, month: 11, day: 25))
    }
}
