import Foundation
import Testing
@testable import GP

@Suite struct GPEnvelopeTests {
    let invoice = ReceivablesInvoice(documentNumber: "WEB100000123", customerId: "AARONFIT0001", batchId: "WEB20240501",
                                     documentDate: GPDate(year: 2024, month: 5, day: 1)!, salesAmount: Decimal(string: "100.10")!,
                                     freightAmount: Decimal(string: "5.05")!, taxAmount: Decimal(string: "8.26")!,
                                     tradeDiscountAmount: Decimal(string: "10.00")!, currencyId: "EUR",
                                     exchangeRate: Decimal(string: "1.0825")!)

    @Test func aWriteIsWrappedInPayloadWithExactAmounts() throws {
        let body = try GPEnvelope.encode(invoice, settings: GPSettings())
        let text = String(decoding: body, as: UTF8.self)
        #expect(text.hasPrefix(#"{"Payload":{"#))
        #expect(text.contains(#""DocumentAmount":103.41"#))
        #expect(text.contains(#""ExchangeRate":1.0825"#))
        #expect(text.contains(#""DocumentDate":"2024-05-01T00:00:00""#))
        #expect(text.contains(#""DocumentType":1"#))
        #expect(text.contains(#""CurrencyId":"EUR""#))
    }

    @Test func envelopeSettingsChangeTheWrapper() throws {
        var settings = GPSettings()
        settings.envelopeOnWrites = false
        let bare = String(decoding: try GPEnvelope.encode(invoice, settings: settings), as: UTF8.self)
        #expect(bare.hasPrefix(#"{"BatchId""#))
        settings.envelopeOnWrites = true
        settings.envelopeKey = "Data"
        let other = String(decoding: try GPEnvelope.encode(invoice, settings: settings), as: UTF8.self)
        #expect(other.hasPrefix(#"{"Data":{"#))
    }

    @Test func anInvoiceSurvivesTheRoundTrip() throws {
        let body = try GPEnvelope.encode(invoice, settings: GPSettings())
        let back = try GPEnvelope.decodeOne(ReceivablesInvoice.self, from: body, settings: GPSettings())
        #expect(back == invoice)
    }

    @Test func aListIsHandedOutInChunksNoLargerThanAsked() throws {
        let items = (1...23).map { #"{"ItemNumber":"I\#($0)","Description":"Item \"\#($0)\" [x]{y}","ModifiedDate":"2024-05-01T00:00:00"}"# }
        let body = Data((#"{"Other":{"a":[1,2]},"Payload":["# + items.joined(separator: ",") + "]}").utf8)
        var sizes: [Int] = []
        var numbers: [String] = []
        let count = try GPEnvelope.forEachChunk(GPItem.self, from: body, settings: GPSettings(), chunkSize: 5) { chunk in
            sizes.append(chunk.count)
            numbers += chunk.map(\.itemNumber)
        }
        #expect(count == 23)
        #expect(sizes == [5, 5, 5, 5, 3])
        #expect(numbers == (1...23).map { "I\($0)" })
    }

    @Test func aNullOrEmptyPayloadIsAnEmptyList() throws {
        for body in [#"{"Payload":null}"#, #"{"Payload":[]}"#, #" { "Payload" : [ ] } "#] {
            var calls = 0
            let n = try GPEnvelope.forEachChunk(GPItem.self, from: Data(body.utf8), settings: GPSettings(), chunkSize: 5) { _ in calls += 1 }
            #expect(n == 0)
            #expect(calls == 0)
        }
    }

    @Test func aBareListIsReadWhenTheEnvelopeIsOff() throws {
        var settings = GPSettings()
        settings.envelopeOnReads = false
        let body = Data(#"[{"ItemNumber":"A"},{"Key":{"Id":"B"}},{"Key":"C"}]"#.utf8)
        var numbers: [String] = []
        try GPEnvelope.forEachChunk(GPItem.self, from: body, settings: settings, chunkSize: 10) { numbers += $0.map(\.itemNumber) }
        #expect(numbers == ["A", "B", "C"])
    }

    @Test(arguments: [
        (#"[{"ItemNumber":"A"}]"#, true, "envelope_on_reads to false"),
        (#"{"Payload":[{"ItemNumber":"A"}]}"#, false, "envelope_on_reads to true"),
        (#"{"Result":[]}"#, true, "no \"Payload\" member"),
        (#"{"Payload":[{"ItemNumber":"A"},"#, true, "malformed"),
        (#"{"Payload":[{"Description":"no key"}]}"#, true, "missing ItemNumber"),
    ])
    func aMismatchedAnswerNamesTheSettingToChange(_ body: String, _ envelope: Bool, _ hint: String) {
        var settings = GPSettings()
        settings.envelopeOnReads = envelope
        do {
            try GPEnvelope.forEachChunk(GPItem.self, from: Data(body.utf8), settings: settings, chunkSize: 10) { _ in }
            Issue.record("expected a failure")
        } catch let error as GPError {
            #expect(error.code == "gp_bad_response")
            #expect(error.message.contains(hint), "\(error.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func recordsAcceptSOAPStyleAliasesAndStringAmounts() throws {
        let body = Data((#"{"Payload":{"Key":{"Id":"AARONFIT0001   "},"Name":"Aaron Fitz","IsOnHold":1,"IsActive":false,"#
            + #""LastModifiedDate":"/Date(1714521600000)/","CurrencyKey":{"Id":"Z-US$"}}}"#).utf8)
        let customer = try GPEnvelope.decodeOne(GPCustomer.self, from: body, settings: GPSettings())
        #expect(customer.customerId == "AARONFIT0001")
        #expect(customer.isOnHold)
        #expect(!customer.isActive)
        #expect(customer.currencyId == "Z-US$")
        #expect(customer.modifiedDate == GPDate(year: 2024, month: 5, day: 1))
        let price = try GPEnvelope.decodeOne(GPItemPrice.self, from: Data(#"{"Payload":{"ItemNumber":"A","PriceLevel":"RETAIL","UnitPrice":"19.99"}}"#.utf8), settings: GPSettings())
        #expect(price.unitPrice == Decimal(string: "19.99"))
    }

    @Test func anInvoiceChecksGPRulesBeforeAnyCall() {
        var bad = invoice
        bad.documentNumber = String(repeating: "9", count: 18)
        #expect(throws: GPError.self) { try bad.validate() }
        bad = invoice
        bad.documentAmount += 1
        #expect(throws: GPError.self) { try bad.validate() }
        #expect(throws: Never.self) { try invoice.validate() }
    }

    @Test func theDocumentAmountIsTheSumOfItsParts() {
        let i = ReceivablesInvoice(documentNumber: "X", customerId: "C", batchId: "B", documentDate: GPDate(year: 2024, month: 1, day: 1)!,
                                   salesAmount: Decimal(string: "0.1")!, freightAmount: Decimal(string: "0.2")!,
                                   taxAmount: Decimal(string: "0.3")!, tradeDiscountAmount: Decimal(string: "0.05")!,
                                   miscellaneousAmount: Decimal(string: "0.01")!)
        #expect(i.documentAmount == Decimal(string: "0.56"))
    }
}
