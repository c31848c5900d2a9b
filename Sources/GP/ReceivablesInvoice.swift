import Foundation

/// A GP receivables (RM) invoice, as created with `POST …/Sales/Receivables/Transactions`.
///
/// Amounts are `Decimal` (never floating point). GP requires document amount = sales + freight +
/// misc + tax − trade discount; `init` computes it when not given, as GP does.
public struct ReceivablesInvoice: Sendable, Equatable, Codable {
    /// RM document type 1 (eConnect `RMDTYPAL`): sales / invoice.
    public static let invoiceDocumentType = 1
    /// GP's limits (eConnect lengths).
    public static let maxDocumentNumberLength = 17
    public static let maxCustomerIdLength = 15
    public static let maxBatchIdLength = 15

    public var documentNumber: String
    public var customerId: String
    public var batchId: String
    public var documentDate: GPDate
    public var description: String?
    public var customerPONumber: String?
    public var salesAmount: Decimal
    public var freightAmount: Decimal
    public var taxAmount: Decimal
    public var tradeDiscountAmount: Decimal
    public var miscellaneousAmount: Decimal
    public var documentAmount: Decimal
    /// Set on a multicurrency company; nil posts in the functional currency.
    public var currencyId: String?
    /// Required by GP for a non-functional currency unless GP holds a rate for the date.
    public var exchangeRate: Decimal?

    public init(documentNumber: String, customerId: String, batchId: String, documentDate: GPDate,
                description: String? = nil, customerPONumber: String? = nil, salesAmount: Decimal,
                freightAmount: Decimal = 0, taxAmount: Decimal = 0, tradeDiscountAmount: Decimal = 0,
                miscellaneousAmount: Decimal = 0, documentAmount: Decimal? = nil, currencyId: String? = nil,
                exchangeRate: Decimal? = nil) {
        self.documentNumber = documentNumber
        self.customerId = customerId
        self.batchId = batchId
        self.documentDate = documentDate
        self.description = description
        self.customerPONumber = customerPONumber
        self.salesAmount = salesAmount
        self.freightAmount = freightAmount
        self.taxAmount = taxAmount
        self.tradeDiscountAmount = tradeDiscountAmount
        self.miscellaneousAmount = miscellaneousAmount
        self.documentAmount = documentAmount
            ?? ReceivablesInvoice.sumOfParts(sales: salesAmount, freight: freightAmount, tax: taxAmount,
                                              tradeDiscount: tradeDiscountAmount, misc: miscellaneousAmount)
        self.currencyId = currencyId
        self.exchangeRate = exchangeRate
    }

    /// sales + freight + misc + tax − trade discount.
    public static func sumOfParts(sales: Decimal, freight: Decimal, tax: Decimal, tradeDiscount: Decimal, misc: Decimal) -> Decimal {
        sales + freight + misc + tax - tradeDiscount
    }

    /// The checks GP would make on lengths and arithmetic, before spending a call.
    public func validate() throws(GPError) {
        if documentNumber.isEmpty || documentNumber.count > Self.maxDocumentNumberLength {
            throw .invalidRequest("document number \"\(documentNumber)\" must be 1 to \(Self.maxDocumentNumberLength) characters")
        }
        if customerId.isEmpty || customerId.count > Self.maxCustomerIdLength {
            throw .invalidRequest("customer id \"\(customerId)\" must be 1 to \(Self.maxCustomerIdLength) characters")
        }
        if batchId.isEmpty || batchId.count > Self.maxBatchIdLength {
            throw .invalidRequest("batch id \"\(batchId)\" must be 1 to \(Self.maxBatchIdLength) characters")
        }
        let sum = Self.sumOfParts(sales: salesAmount, freight: freightAmount, tax: taxAmount,
                                  tradeDiscount: tradeDiscountAmount, misc: miscellaneousAmount)
        if sum != documentAmount {
            throw .invalidRequest("document amount \(documentAmount) is not sales + freight + misc + tax − trade discount = \(sum)")
        }
        if let rate = exchangeRate, rate <= 0 {
            throw .invalidRequest("exchange rate must be greater than zero")
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        documentNumber = try c.requiredString("DocumentNumber", "Key", "Id", "DOCNUMBR")
        customerId = try c.requiredString("CustomerId", "CustomerKey", "CUSTNMBR")
        batchId = try c.string("BatchId", "BatchKey", "BACHNUMB") ?? ""
        guard let date = try c.date("DocumentDate", "Date", "DOCDATE") else {
            throw DecodingError.keyNotFound(AnyKey("DocumentDate"), .init(codingPath: c.codingPath, debugDescription: "missing DocumentDate"))
        }
        documentDate = date
        description = try c.string("Description", "DOCDESCR")
        customerPONumber = try c.string("CustomerPONumber", "CSTPONBR")
        salesAmount = try c.decimal("SalesAmount", "SLSAMNT") ?? 0
        freightAmount = try c.decimal("FreightAmount", "FRTAMNT") ?? 0
        taxAmount = try c.decimal("TaxAmount", "TAXAMNT") ?? 0
        tradeDiscountAmount = try c.decimal("TradeDiscountAmount", "TRDISAMT") ?? 0
        miscellaneousAmount = try c.decimal("MiscellaneousAmount", "MISCAMNT") ?? 0
        documentAmount = try c.decimal("DocumentAmount", "DOCAMNT")
            ?? Self.sumOfParts(sales: salesAmount, freight: freightAmount, tax: taxAmount,
                               tradeDiscount: tradeDiscountAmount, misc: miscellaneousAmount)
        currencyId = try c.string("CurrencyId", "CurrencyKey", "CURNCYID")
        exchangeRate = try c.decimal("ExchangeRate", "XCHGRATE")
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.put(Self.invoiceDocumentType, "DocumentType")
        try c.put(documentNumber, "DocumentNumber")
        try c.put(customerId, "CustomerId")
        try c.put(batchId, "BatchId")
        try c.put(documentDate, "DocumentDate")
        try c.put(description, "Description")
        try c.put(customerPONumber, "CustomerPONumber")
        try c.put(salesAmount, "SalesAmount")
        try c.put(freightAmount, "FreightAmount")
        try c.put(taxAmount, "TaxAmount")
        try c.put(tradeDiscountAmount, "TradeDiscountAmount")
        try c.put(miscellaneousAmount, "MiscellaneousAmount")
        try c.put(documentAmount, "DocumentAmount")
        try c.put(currencyId, "CurrencyId")
        try c.put(exchangeRate, "ExchangeRate")
    }
}
