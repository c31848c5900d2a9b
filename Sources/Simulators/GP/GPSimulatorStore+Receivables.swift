import Foundation

extension GPSimulatorStore {
    /// GP's checks on a new RM document, in the order GP's window would make them. On success the
    /// document is stored (numbers are unique across everything posted, like RM00401 over the
    /// work, open and history tables).
    func post(_ input: GPSimDocumentInput, company: String) -> Result<GPSimDocument, GPSimRejection> {
        func reject(_ code: String, _ message: String, status: Int = 400) -> Result<GPSimDocument, GPSimRejection> {
            .failure(GPSimRejection(status: status, code: code, message: message))
        }
        guard let number = input.documentNumber?.trimmingCharacters(in: .whitespaces), !number.isEmpty else {
            return reject("RequiredField", "The document number (DocumentNumber) is required.")
        }
        guard let customerId = input.customerId?.trimmingCharacters(in: .whitespaces), !customerId.isEmpty else {
            return reject("RequiredField", "The customer number (CustomerId) is required.")
        }
        guard let sales = input.salesAmount else {
            return reject("RequiredField", "The sales amount (SalesAmount) is required.")
        }
        let batch = input.batchId?.trimmingCharacters(in: .whitespaces) ?? ""
        if batch.isEmpty { return reject("RequiredField", "The batch number (BatchId) is required.") }
        if number.count > 17 { return reject("FieldTooLong", "The document number \(number) is longer than 17 characters.") }
        if customerId.count > 15 { return reject("FieldTooLong", "The customer number \(customerId) is longer than 15 characters.") }
        if batch.count > 15 { return reject("FieldTooLong", "The batch number \(batch) is longer than 15 characters.") }
        let type = input.documentType ?? 1
        if !(1...8).contains(type) || type == 2 {
            return reject("InvalidDocumentType", "The RM document type \(type) is not valid.")
        }
        let today = today()
        var date = today
        if let text = input.documentDate {
            guard let day = GPSimDay.parse(text) else {
                return reject("InvalidDate", "The document date \(text) is not a valid date.")
            }
            date = day
        }
        let freight = input.freightAmount ?? 0
        let tax = input.taxAmount ?? 0
        let discount = input.tradeDiscountAmount ?? 0
        let misc = input.miscellaneousAmount ?? 0
        let sum = sales + freight + misc + tax - discount

        return state.withLock { s -> Result<GPSimDocument, GPSimRejection> in
            let key = Self.key([number])
            if s.documents[key] != nil {
                return reject("DuplicateDocument",
                              "Document number (DOCNUMBR) \(number) already exists in either RM00401, RM10301, RM20101 or RM30101.")
            }
            guard let customer = s.tables[.customers]?.records[Self.key([customerId])] else {
                return reject("UnknownCustomer", "Customer number \(customerId) does not exist.")
            }
            if case .bool(false)? = customer["IsActive"] {
                return reject("CustomerInactive", "Customer \(customerId) is inactive; transactions cannot be entered for it.")
            }
            if case .bool(true)? = customer["IsInactive"] {
                return reject("CustomerInactive", "Customer \(customerId) is inactive; transactions cannot be entered for it.")
            }
            if case .bool(true)? = customer["IsOnHold"] {
                return reject("CustomerOnHold", "Customer \(customerId) is on hold.")
            }
            if s.closedPeriods.contains(where: { $0.from <= date && date <= $0.to }) {
                return reject("FiscalPeriodClosed", "The fiscal period for \(date) is closed for the Sales series.")
            }
            var currency = s.functionalCurrency
            if let c = input.currencyId?.trimmingCharacters(in: .whitespaces), !c.isEmpty { currency = c.uppercased() }
            var rate = input.exchangeRate
            if currency != s.functionalCurrency {
                if let r = rate, r <= 0 {
                    return reject("ExchangeRateMissing", "The exchange rate for currency \(currency) must be greater than zero.")
                }
                if rate == nil { rate = s.exchangeRates[currency] }
                if rate == nil {
                    return reject("ExchangeRateMissing", "An exchange rate for currency \(currency) on \(date) was not found.")
                }
            }
            if let given = input.documentAmount, given != sum {
                return reject("DocumentAmountMismatch",
                              "The document amount \(given) does not equal sales + freight + misc + tax - trade discount (\(sum)).")
            }
            let doc = GPSimDocument(
                documentType: type, documentNumber: number, customerId: customerId, batchId: batch,
                documentDate: GPSimDay.wire(date), description: input.description, customerPONumber: input.customerPONumber,
                salesAmount: sales, freightAmount: freight, taxAmount: tax, tradeDiscountAmount: discount,
                miscellaneousAmount: misc, documentAmount: sum, currencyId: currency, exchangeRate: rate, company: company)
            s.documents[key] = doc
            s.documentOrder.append(key)
            return .success(doc)
        }
    }
}
