import Foundation

/// What a GP call was doing, so an error answer can be named precisely.
public struct GPCallContext: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// GET of a list resource.
        case list
        /// GET of one keyed record: a 404 means "no such record", not a broken company.
        case read
        /// POST/PATCH: GP's business rules apply.
        case write
    }
    public var kind: Kind
    /// Resource path, e.g. `Sales/Customers`.
    public var resource: String
    public var company: String
    public var documentNumber: String?
    public var customerId: String?
    public var itemNumber: String?
    public var currencyId: String?

    public init(kind: Kind, resource: String, company: String, documentNumber: String? = nil,
                customerId: String? = nil, itemNumber: String? = nil, currencyId: String? = nil) {
        self.kind = kind
        self.resource = resource
        self.company = company
        self.documentNumber = documentNumber
        self.customerId = customerId
        self.itemNumber = itemNumber
        self.currencyId = currencyId
    }
}

/// Turns a non-2xx GP answer into a `GPError`. Pure: status + body + context in, error out.
///
/// SBA's error body and wording are UNCONFIRMED and SBA runs Dexterity logic whose messages differ
/// from eConnect's, so the rules match GP error codes first (as the simulator sends them), then
/// key phrases of the message, then fall back on the HTTP status alone.
public enum GPErrorClassifier {
    public static func classify(status: Int, body: Data, context: GPCallContext) -> GPError {
        let parsed = GPErrorBody(body)
        let message = parsed.message
        switch status {
        case 401:
            return .authenticationFailed
        case 403:
            return .accessDenied(serverMessage: message)
        case 503, 502, 504:
            return .serviceUnavailable(status: status, serverMessage: message)
        default:
            break
        }
        let text = (parsed.codes + [message]).joined(separator: " ").lowercased()
        if status == 404, text.contains("compan") {
            return .companyNotFound(company: context.company, serverMessage: message)
        }
        if context.kind == .write, (400...500).contains(status), let rule = businessRule(codes: parsed.codes, text: text, message: message, context: context) {
            return rule
        }
        switch status {
        case 404:
            if context.kind == .read { return .notFound(resource: context.resource) }
            return .companyNotFound(company: context.company, serverMessage: message)
        case 400, 409, 422:
            return .validation(serverMessage: message)
        case 500:
            return .serviceUnavailable(status: status, serverMessage: message)
        default:
            return .unexpectedStatus(status: status, serverMessage: message)
        }
    }

    /// The GP business rule an error names, if any.
    static func businessRule(codes: [String], text: String, message: String, context: GPCallContext) -> GPError? {
        let doc = context.documentNumber ?? ""
        let customer = context.customerId ?? ""
        let item = context.itemNumber ?? ""
        let currency = context.currencyId ?? ""
        let normalized = Set(codes.map { $0.lowercased().filter { $0.isLetter || $0.isNumber } })
        func has(_ code: String) -> Bool { normalized.contains(code) }
        func mentions(_ words: String...) -> Bool { words.contains { text.contains($0) } }

        if has("duplicatedocument") || mentions("already exists", "duplicate", "already been used", "error number = 190") {
            return .duplicateDocument(documentNumber: doc, serverMessage: message)
        }
        if has("fiscalperiodclosed") || mentions("fiscal period") || (text.contains("period") && text.contains("closed")) {
            return .fiscalPeriodClosed(serverMessage: message)
        }
        if has("exchangeratemissing") || mentions("exchange rate", "xchgrate") {
            return .exchangeRateMissing(currencyId: currency, serverMessage: message)
        }
        if has("customeronhold") || mentions("on hold") {
            return .customerOnHold(customerId: customer, serverMessage: message)
        }
        if has("customerinactive") || (text.contains("customer") && text.contains("inactive")) {
            return .customerInactive(customerId: customer, serverMessage: message)
        }
        if has("documentamountmismatch") || mentions("document amount", "docamnt") {
            return .documentAmountMismatch(serverMessage: message)
        }
        let missing = mentions("not found", "does not exist", "unknown", "invalid", "not exist")
        if has("unknownitem") || (missing && text.contains("item")) {
            return .unknownItem(itemNumber: item, serverMessage: message)
        }
        if has("unknowncustomer") || (missing && text.contains("customer")) {
            return .unknownCustomer(customerId: customer, serverMessage: message)
        }
        return nil
    }
}

/// The readable parts of a GP error body, whatever its shape: `{"Errors":[{"Code","Message"}]}`,
/// WCF's `{"Message": …}`, `{"error": {"message": …}}`, plain text or an HTML page.
struct GPErrorBody {
    var codes: [String] = []
    var messages: [String] = []

    /// Messages joined, whitespace collapsed, capped at 300 characters.
    var message: String {
        let joined = messages.joined(separator: "; ")
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return joined.count > 300 ? String(joined.prefix(299)) + "…" : joined
    }

    init(_ body: Data) {
        guard !body.isEmpty else { return }
        if let json = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) {
            collect(json, depth: 0)
            if !messages.isEmpty || !codes.isEmpty { return }
        }
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        if text.contains("<") && text.contains(">") {
            messages = [Self.stripTags(text)]
        } else {
            messages = [text]
        }
    }

    private mutating func collect(_ value: Any, depth: Int) {
        guard depth < 6 else { return }
        if let s = value as? String, depth == 0 {
            messages.append(s)
        } else if let array = value as? [Any] {
            for v in array.prefix(10) { collect(v, depth: depth + 1) }
        } else if let object = value as? [String: Any] {
            for (key, v) in object.sorted(by: { $0.key < $1.key }) {
                switch key.lowercased() {
                case "code", "errorcode", "error_code":
                    if let s = v as? String { codes.append(s) } else if let n = v as? NSNumber { codes.append(n.stringValue) }
                case "message", "errormessage", "error_description", "description", "exceptionmessage", "detail":
                    if let s = v as? String { messages.append(s) }
                default:
                    if v is [Any] || v is [String: Any] { collect(v, depth: depth + 1) }
                    else if key.lowercased() == "error", let s = v as? String { messages.append(s) }
                }
            }
        }
    }

    static func stripTags(_ html: String) -> String {
        var out = ""
        var inTag = false
        for ch in html {
            if ch == "<" { inTag = true; out.append(" ") } else if ch == ">" { inTag = false } else if !inTag { out.append(ch) }
        }
        return out
    }
}
