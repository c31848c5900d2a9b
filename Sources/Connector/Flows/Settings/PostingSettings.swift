/// Which Commerce event creates the GP document. The other event is only noted on the record.
public enum PostingTrigger: String, Sendable, Codable, CaseIterable {
    case orderPlaced = "order_placed"
    case invoiceCaptured = "invoice_captured"
}

/// How the batch id's date is written after the prefix.
public enum BatchDateFormat: String, Sendable, Codable, CaseIterable {
    /// `WEB261126` (prefix + yyMMdd)
    case yyMMdd = "yyMMdd"
    /// `WEB20261126` (prefix + yyyyMMdd; with an 8-character prefix this breaks GP's 15-character limit)
    case yyyyMMdd = "yyyyMMdd"
}

/// Direction of GP's exchange rate on a multicurrency document (GP's rate type decides whether it
/// multiplies or divides; UNCONFIRMED per company, hence a setting).
public enum ExchangeRateStyle: String, Sendable, Codable, CaseIterable {
    /// functional = originating × rate (GP's "Multiply" calculation method).
    case multiply
    /// functional = originating ÷ rate (GP's "Divide" calculation method).
    case divide
}

/// A tenant's choices for posting Commerce orders and invoices as GP receivables invoices.
public struct PostingSettings: Sendable, Equatable, Codable {
    public var trigger: PostingTrigger = .invoiceCaptured
    public var documentPrefix: String = "WEB"
    public var batchPrefix: String = "WEB"
    public var batchDateFormat: BatchDateFormat = .yyMMdd
    /// GP's functional currency; nil means a single-currency company (no CurrencyId is sent).
    public var functionalCurrency: String?
    public var exchangeRateStyle: ExchangeRateStyle = .multiply
    /// GP customer for orders whose customer maps to none (guests, unknown e-mails); nil parks them.
    public var guestCustomerId: String?
    /// Commerce customer attribute that carries the GP customer id.
    public var gpIdAttributeCode: String = "gp_customer_id"
    /// How long an order announced by a `place_before` hook may stay invisible in Commerce before
    /// its record is marked abandoned (the checkout was probably aborted after the hook).
    public var orderWaitSeconds: Int = 900

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = PostingSettings()
        trigger = try c.decodeIfPresent(PostingTrigger.self, forKey: .trigger) ?? d.trigger
        documentPrefix = try c.decodeIfPresent(String.self, forKey: .documentPrefix) ?? d.documentPrefix
        batchPrefix = try c.decodeIfPresent(String.self, forKey: .batchPrefix) ?? d.batchPrefix
        batchDateFormat = try c.decodeIfPresent(BatchDateFormat.self, forKey: .batchDateFormat) ?? d.batchDateFormat
        functionalCurrency = try c.decodeIfPresent(String.self, forKey: .functionalCurrency)
        exchangeRateStyle = try c.decodeIfPresent(ExchangeRateStyle.self, forKey: .exchangeRateStyle) ?? d.exchangeRateStyle
        guestCustomerId = try c.decodeIfPresent(String.self, forKey: .guestCustomerId)
        gpIdAttributeCode = try c.decodeIfPresent(String.self, forKey: .gpIdAttributeCode) ?? d.gpIdAttributeCode
        orderWaitSeconds = max(0, try c.decodeIfPresent(Int.self, forKey: .orderWaitSeconds) ?? d.orderWaitSeconds)
    }

    enum CodingKeys: String, CodingKey {
        case trigger = "posting_trigger", documentPrefix = "document_prefix", batchPrefix = "batch_prefix"
        case batchDateFormat = "batch_date_format", functionalCurrency = "functional_currency"
        case exchangeRateStyle = "exchange_rate_style", guestCustomerId = "guest_customer_id"
        case gpIdAttributeCode = "gp_id_attribute_code", orderWaitSeconds = "order_wait_s"
    }
}
