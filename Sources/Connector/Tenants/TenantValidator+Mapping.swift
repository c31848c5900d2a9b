/// The `posting`, `items` and `customers` objects: how Commerce sales become GP documents and how
/// GP items and customers become Commerce products and accounts. Every field is optional and has
/// the documented default (docs/tenant-settings.md).
extension TenantValidator {
    func readPosting(_ r: DocumentReader?, gp: GPSettings?) -> PostingOptions {
        var p = PostingOptions()
        guard let r else { return p }
        p.trigger = r.choice("trigger", default: p.trigger) ?? p.trigger
        p.guestCustomerId = r.token("guest_customer_id", length: 1...15, allowed: Chars.customerID,
                                    what: "a GP customer id (1–15 letters, digits, spaces or - _ . & /)")
        if let id = p.guestCustomerId, id.trimmingSpaces != id {
            r.fail("guest_customer_id", "invalid_format", "Must not start or end with a space.")
            p.guestCustomerId = nil
        }
        p.batchDateFormat = r.choice("batch_date_format", default: p.batchDateFormat) ?? p.batchDateFormat
        if p.batchDateFormat == .yyyyMMdd, let prefix = gp?.batchPrefix, prefix.count + 8 > Self.maxBatchIdLength {
            r.fail("batch_date_format", "batch_id_too_long",
                   "gp.batch_prefix \(prefix) plus yyyyMMdd is longer than GP's \(Self.maxBatchIdLength)-character batch id; use yyMMdd or a prefix of at most \(Self.maxBatchIdLength - 8).")
        }
        p.exchangeRateStyle = r.choice("exchange_rate_style", default: p.exchangeRateStyle) ?? p.exchangeRateStyle
        p.orderWaitSeconds = r.integer("order_wait_s", default: p.orderWaitSeconds, range: 0...86_400)
        p.backstopFullLookbackDays = r.integer("backstop_full_lookback_days", default: p.backstopFullLookbackDays, range: 1...366)
        r.rejectUnknown()
        return p
    }

    /// GP's batch id (BACHNUMB) holds 15 characters.
    static let maxBatchIdLength = 15

    func readItems(_ r: DocumentReader?) -> ItemOptions {
        var o = ItemOptions()
        guard let r else { return o }
        o.currencyId = r.token("currency_id", length: 3...3, allowed: Chars.upper, what: "an ISO 4217 code such as EUR")
        o.uofm = r.token("uofm", length: 1...8, allowed: Chars.unitOfMeasure,
                         what: "a GP unit of measure (1–8 letters, digits, spaces or - _ . /)")
        o.attributeSetId = r.integer("attribute_set_id", default: o.attributeSetId, range: 1...999_999)
        o.visibility = r.integer("visibility", default: o.visibility, range: 1...4)
        o.websiteIds = r.integerArray("website_ids", count: 1...64, range: 1...999_999) ?? o.websiteIds
        o.bulkThreshold = r.integer("bulk_threshold", default: o.bulkThreshold, range: 1...10_000)
        r.rejectUnknown()
        return o
    }

    func readCustomers(_ r: DocumentReader?) -> CustomerMappingSettings {
        var c = CustomerMappingSettings()
        guard let r else { return c }
        let groups = 1...999_999
        func group(_ v: DocumentValue) -> Int? {
            guard case .number(let d) = v, d.rounded() == d, abs(d) < 1e12, groups.contains(Int(d)) else { return nil }
            return Int(d)
        }
        let groupWhat = "a Commerce customer group id (an integer from 1 to 999999)"
        c.websiteId = r.integer("website_id", default: c.websiteId, range: 1...999_999)
        c.groupByClass = r.map("group_by_class", maxCount: 500, keyOK: { (1...15).contains($0.count) && $0.allSatisfy(Chars.customerID) },
                               keyWhat: "a GP customer class id (1–15 letters, digits, spaces or - _ . & /)",
                               valueWhat: groupWhat, value: group) ?? c.groupByClass
        c.groupByPriceLevel = r.map("group_by_price_level", maxCount: 500, keyOK: { (1...11).contains($0.count) && $0.allSatisfy(Chars.code) },
                                    keyWhat: "a GP price level id (1–11 letters, digits, '-' or '_')",
                                    valueWhat: groupWhat, value: group) ?? c.groupByPriceLevel
        c.defaultGroupId = r.integer("default_group_id", default: c.defaultGroupId, range: groups)
        c.inactive = r.choice("inactive", default: c.inactive) ?? c.inactive
        c.onHold = r.choice("on_hold", default: c.onHold) ?? c.onHold
        c.gpIdAttributeCode = r.token("gp_id_attribute_code", length: 1...60, allowed: Chars.lowerCode,
                                      what: "a Commerce attribute code (lowercase letters, digits and '_', at most 60)")
            ?? c.gpIdAttributeCode
        c.defaultCountryId = r.token("default_country_id", length: 2...2, allowed: Chars.upper,
                                     what: "an ISO 3166 alpha-2 code such as US") ?? c.defaultCountryId
        c.countryAliases = r.map("country_aliases", maxCount: 500,
                                 keyOK: { (1...60).contains($0.count) && !$0.trimmingSpaces.isEmpty && !$0.unicodeScalars.contains(where: \.isControlOrSeparator) },
                                 keyWhat: "a country as GP writes it (1–60 characters)",
                                 valueWhat: "an ISO 3166 alpha-2 code such as DE",
                                 value: { v in
                                     guard case .string(let s) = v, s.count == 2, s.allSatisfy(Chars.upper) else { return nil }
                                     return s
                                 }) ?? c.countryAliases
        r.rejectUnknown()
        return c
    }
}

extension Chars {
    static func customerID(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || " -_.&/".contains(c)) }
    static func unitOfMeasure(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || " -_./".contains(c)) }
}
