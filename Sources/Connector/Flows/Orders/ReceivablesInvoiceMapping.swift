import Foundation
import GP

/// A Commerce order or invoice → the GP receivables invoice that records it.
///
/// - sales = subtotal − discount, freight = shipping, tax = tax, document amount = grand total,
///   each rounded to the cent; the parts must add up to the grand total to the cent, else the
///   record parks showing the difference (never "fixed" by moving money between fields).
/// - currency: on a multicurrency company (functional currency set) CurrencyId = the order
///   currency; when it differs from the functional currency an ExchangeRate is required, derived
///   from the order's base/order totals when the base currency is the functional one.
/// - document number = prefix + order increment id (≤ 17); batch = prefix + document date (≤ 15).
public enum ReceivablesInvoiceMapping {
    public static func map(_ doc: SalesDocument, customerId: String, settings: PostingSettings,
                           today: GPDate) -> Result<ReceivablesInvoice, ParkReason> {
        let number = settings.documentPrefix + doc.orderIncrementId
        guard number.count <= ReceivablesInvoice.maxDocumentNumberLength else {
            return .failure(.documentNumberTooLong(documentNumber: number, limit: ReceivablesInvoice.maxDocumentNumberLength))
        }
        let date = doc.createdAt.flatMap(GPDate.init(parsing:)) ?? today
        let batch = settings.batchPrefix + batchDate(date, settings.batchDateFormat)
        guard batch.count <= ReceivablesInvoice.maxBatchIdLength else {
            return .failure(.batchIdTooLong(batchId: batch, limit: ReceivablesInvoice.maxBatchIdLength))
        }
        guard let subtotal = doc.subtotal else { return .failure(.amountMissing(field: "subtotal")) }
        guard let grandTotal = doc.grandTotal else { return .failure(.amountMissing(field: "grand_total")) }
        let sales = cents(subtotal - doc.discount)
        let freight = cents(doc.shipping)
        let tax = cents(doc.tax)
        let total = cents(grandTotal)
        let sum = sales + freight + tax
        guard sum == total else { return .failure(.amountsDoNotAddUp(grandTotal: total, sumOfParts: sum)) }

        var currencyId: String?
        var rate: Decimal?
        switch currency(doc, settings: settings) {
        case .success(let pair): (currencyId, rate) = pair
        case .failure(let reason): return .failure(reason)
        }
        let description = String("Commerce \(doc.kind.rawValue) \(doc.incrementId)".prefix(30))
        return .success(ReceivablesInvoice(
            documentNumber: number, customerId: customerId, batchId: batch, documentDate: date,
            description: description, customerPONumber: String(doc.orderIncrementId.prefix(20)),
            salesAmount: sales, freightAmount: freight, taxAmount: tax, documentAmount: total,
            currencyId: currencyId, exchangeRate: rate))
    }

    /// (CurrencyId, ExchangeRate) for the document, or why it cannot post.
    static func currency(_ doc: SalesDocument, settings: PostingSettings) -> Result<(String?, Decimal?), ParkReason> {
        guard let functional = settings.functionalCurrency?.uppercased() else { return .success((nil, nil)) }
        let orderCurrency = (doc.orderCurrency ?? doc.baseCurrency ?? functional).uppercased()
        if orderCurrency == functional { return .success((orderCurrency, nil)) }
        guard (doc.baseCurrency ?? "").uppercased() == functional else {
            return .failure(.exchangeRateMissing(currency: orderCurrency, detail:
                "the store's base currency \(doc.baseCurrency ?? "(none)") is not GP's functional currency \(functional), so the order carries no rate to it."))
        }
        guard let total = doc.grandTotal, let base = doc.baseGrandTotal, total > 0, base > 0 else {
            return .failure(.exchangeRateMissing(currency: orderCurrency, detail:
                "the order has no base and order grand totals to derive the rate from."))
        }
        let raw = settings.exchangeRateStyle == .multiply ? base / total : total / base
        return .success((orderCurrency, round(raw, scale: 7)))
    }

    static func batchDate(_ d: GPDate, _ format: BatchDateFormat) -> String {
        let full = String(format: "%04d%02d%02d", d.year, d.month, d.day)
        return format == .yyyyMMdd ? full : String(full.dropFirst(2))
    }

    /// Half away from zero to 2 places, as a till does.
    public static func cents(_ d: Decimal) -> Decimal { round(d, scale: 2) }

    static func round(_ d: Decimal, scale: Int) -> Decimal {
        var value = d
        var out = Decimal()
        NSDecimalRound(&out, &value, scale, .plain)
        return out
    }
}
