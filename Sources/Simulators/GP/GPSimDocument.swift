import Foundation
import HTTPServer

/// A receivables document posted to the simulator (what `GET …/Transactions(N)` returns).
public struct GPSimDocument: Sendable, Codable, Equatable {
    public var documentType: Int
    public var documentNumber: String
    public var customerId: String
    public var batchId: String
    public var documentDate: String
    public var description: String?
    public var customerPONumber: String?
    public var salesAmount: Decimal
    public var freightAmount: Decimal
    public var taxAmount: Decimal
    public var tradeDiscountAmount: Decimal
    public var miscellaneousAmount: Decimal
    public var documentAmount: Decimal
    public var currencyId: String
    public var exchangeRate: Decimal?
    /// The company name from the URL it was posted to.
    public var company: String

    enum CodingKeys: String, CodingKey {
        case documentType = "DocumentType"
        case documentNumber = "DocumentNumber"
        case customerId = "CustomerId"
        case batchId = "BatchId"
        case documentDate = "DocumentDate"
        case description = "Description"
        case customerPONumber = "CustomerPONumber"
        case salesAmount = "SalesAmount"
        case freightAmount = "FreightAmount"
        case taxAmount = "TaxAmount"
        case tradeDiscountAmount = "TradeDiscountAmount"
        case miscellaneousAmount = "MiscellaneousAmount"
        case documentAmount = "DocumentAmount"
        case currencyId = "CurrencyId"
        case exchangeRate = "ExchangeRate"
        case company = "Company"
    }

    /// The document as a JSON object (for list answers).
    var json: [String: JSONValue] {
        let data = (try? JSONEncoder().encode(self)) ?? Data("{}".utf8)
        return (try? JSONDecoder().decode([String: JSONValue].self, from: data)) ?? [:]
    }
}

/// The body of a create request, every field optional so that a missing one gets GP's own
/// validation message rather than a decoding error.
struct GPSimDocumentInput: Decodable {
    var documentType: Int?
    var documentNumber: String?
    var customerId: String?
    var batchId: String?
    var documentDate: String?
    var description: String?
    var customerPONumber: String?
    var salesAmount: Decimal?
    var freightAmount: Decimal?
    var taxAmount: Decimal?
    var tradeDiscountAmount: Decimal?
    var miscellaneousAmount: Decimal?
    var documentAmount: Decimal?
    var currencyId: String?
    var exchangeRate: Decimal?

    enum CodingKeys: String, CodingKey {
        case documentType = "DocumentType"
        case documentNumber = "DocumentNumber"
        case customerId = "CustomerId"
        case batchId = "BatchId"
        case documentDate = "DocumentDate"
        case description = "Description"
        case customerPONumber = "CustomerPONumber"
        case salesAmount = "SalesAmount"
        case freightAmount = "FreightAmount"
        case taxAmount = "TaxAmount"
        case tradeDiscountAmount = "TradeDiscountAmount"
        case miscellaneousAmount = "MiscellaneousAmount"
        case documentAmount = "DocumentAmount"
        case currencyId = "CurrencyId"
        case exchangeRate = "ExchangeRate"
    }
}

/// A refused request: GP-style error body `{"Errors":[{"Code","Message"}]}` with `status`.
struct GPSimRejection: Error, Equatable {
    var status: Int
    var code: String
    var message: String
}
