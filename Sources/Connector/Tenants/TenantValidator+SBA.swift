import GP

/// `gp.sba`: the GP SBA surface assumptions (`GP.GPSettings`). Microsoft published no endpoint
/// reference, so paths, envelope, paging, date style and timeouts are UNCONFIRMED guesses with
/// defaults; a tenant overrides what its server's `/help` page shows differently. Absent fields
/// keep `GP.GPSettings()`'s defaults.
extension TenantValidator {
    func readSBA(_ r: DocumentReader?) -> GP.GPSettings {
        var s = GP.GPSettings()
        guard let r else { return s }
        if let p = r.object("paths") {
            func path(_ key: String, _ current: String) -> String {
                readResourcePath(p, key) ?? current
            }
            s.paths.items = path("items", s.paths.items)
            s.paths.itemPriceLists = path("item_price_lists", s.paths.itemPriceLists)
            s.paths.itemSites = path("item_sites", s.paths.itemSites)
            s.paths.customers = path("customers", s.paths.customers)
            s.paths.customerAddresses = path("customer_addresses", s.paths.customerAddresses)
            s.paths.receivablesTransactions = path("receivables_transactions", s.paths.receivablesTransactions)
            p.rejectUnknown()
        }
        s.jsonSuffix = r.bool("json_suffix", default: s.jsonSuffix)
        s.envelopeKey = r.token("envelope_key", length: 1...64, allowed: Chars.alnumUnderscore,
                                what: "a JSON property name (letters, digits, '_')") ?? s.envelopeKey
        s.envelopeOnReads = r.bool("envelope_on_reads", default: s.envelopeOnReads)
        s.envelopeOnWrites = r.bool("envelope_on_writes", default: s.envelopeOnWrites)
        s.serverModifiedFilter = r.bool("server_modified_filter", default: s.serverModifiedFilter)
        let parameter = "a query parameter name (letters, digits, '_', '-', '.', '$'; at most 64)"
        s.modifiedSinceParameter = r.token("modified_since_parameter", length: 1...64, allowed: Chars.queryName, what: parameter)
            ?? s.modifiedSinceParameter
        s.serverPaging = r.bool("server_paging", default: s.serverPaging)
        s.skipParameter = r.token("skip_parameter", length: 1...64, allowed: Chars.queryName, what: parameter) ?? s.skipParameter
        s.takeParameter = r.token("take_parameter", length: 1...64, allowed: Chars.queryName, what: parameter) ?? s.takeParameter
        s.pageSize = r.integer("page_size", default: s.pageSize, range: 1...5_000)
        s.modifiedOverlapDays = r.integer("modified_overlap_days", default: s.modifiedOverlapDays, range: 0...31)
        s.dateStyle = r.choice("date_style", default: s.dateStyle) ?? s.dateStyle
        s.literalCommas = r.bool("literal_commas", default: s.literalCommas)
        s.receivablesKey = r.choice("receivables_key", default: s.receivablesKey) ?? s.receivablesKey
        s.connectTimeout = Double(r.integer("connect_timeout_s", default: Int(s.connectTimeout), range: 1...120))
        s.requestTimeout = Double(r.integer("request_timeout_s", default: Int(s.requestTimeout), range: 1...3_600))
        r.rejectUnknown()
        return s
    }

    /// A path below the company URL: segments of letters, digits, '_', '-' and '.', joined by
    /// '/', without a leading '/', empty, '.' or '..' segments (it must stay inside the company).
    func readResourcePath(_ r: DocumentReader, _ key: String) -> String? {
        guard let text = r.string(key, maxLength: 200) else { return nil }
        let segments = text.split(separator: "/", omittingEmptySubsequences: false)
        let ok = !text.isEmpty && segments.allSatisfy { seg in
            !seg.isEmpty && seg != "." && seg != ".." && seg.allSatisfy { Chars.code($0) || $0 == "." }
        }
        guard ok else {
            r.fail(key, "invalid_format", "Must be a path below the company URL such as Sales/Customers (segments of letters, digits, '_', '-', '.').")
            return nil
        }
        return text
    }
}

extension Chars {
    static func alnumUnderscore(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }
    static func queryName(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || "_-.$".contains(c)) }
}

extension GPReceivablesKeyStyle: CaseIterable {
    public static var allCases: [GPReceivablesKeyStyle] { [.documentNumber, .typeAndNumber] }
}
