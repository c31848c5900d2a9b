import GP
import Testing
@testable import Connector

/// `posting`, `items`, `customers` and `gp.sba` in the tenant document: defaults when absent,
/// one named field error per bad value, and the flow settings they turn into.
@Suite struct TenantOptionsValidatorTests {
    let v = Fixtures.validator

    func issues(_ doc: DocumentValue) -> [FieldIssue] {
        do {
            _ = try v.validate(doc, keptSecrets: [])
            return []
        } catch {
            return error.issues
        }
    }

    @Test func aDocumentWithoutTheNewSectionsGetsTheDocumentedDefaults() throws {
        let t = try v.validate(Fixtures.tenantDocument(), keptSecrets: [])
        #expect(t.settings.posting == PostingOptions())
        #expect(t.settings.posting.trigger == .invoiceCaptured)
        #expect(t.settings.posting.guestCustomerId == nil)
        #expect(t.settings.items == ItemOptions())
        #expect(t.settings.customers == CustomerMappingSettings())
        #expect(t.settings.gp.sba == GP.GPSettings())
        // The stored document spells every default out and validates back to the same settings.
        let doc = t.settings.document
        #expect(doc.value(at: "posting.trigger") == .string("invoice_captured"))
        #expect(doc.value(at: "posting.guest_customer_id") == .null)
        #expect(doc.value(at: "items.website_ids") == .array([.number(1)]))
        #expect(doc.value(at: "customers.inactive") == .string("skip"))
        #expect(doc.value(at: "gp.sba.paths.customers") == .string("Sales/Customers"))
        #expect(doc.value(at: "gp.sba.request_timeout_s") == .number(120))
        #expect(try v.validate(doc, keptSecrets: t.secretFields).settings == t.settings)
    }

    @Test func everyOptionIsReadAndRoundTrips() throws {
        let doc = Fixtures.tenantDocument()
            .setting("posting", .object([
                "trigger": .string("order_placed"), "guest_customer_id": .string("GUEST WEB"),
                "batch_date_format": .string("yyyyMMdd"), "exchange_rate_style": .string("divide"),
                "order_wait_s": .number(60), "backstop_full_lookback_days": .number(90)]))
            .setting("items", .object([
                "currency_id": .string("EUR"), "uofm": .string("Case"), "attribute_set_id": .number(9),
                "visibility": .number(2), "website_ids": .array([.number(1), .number(3)]), "bulk_threshold": .number(200)]))
            .setting("customers", .object([
                "website_id": .number(2), "group_by_class": .object(["WHOLESALE": .number(2)]),
                "group_by_price_level": .object(["RETAIL": .number(1), "VIP": .number(4)]), "default_group_id": .number(3),
                "inactive": .string("sync"), "on_hold": .string("skip"), "gp_id_attribute_code": .string("erp_id"),
                "default_country_id": .string("DE"), "country_aliases": .object(["Deutschland": .string("DE")])]))
            .setting("gp.sba", .object([
                "paths": .object(["customers": .string("Sales/Customer"), "receivables_transactions": .string("Receivables/Documents")]),
                "json_suffix": .bool(true), "envelope_key": .string("Data"), "server_paging": .bool(true),
                "skip_parameter": .string("$skip"), "take_parameter": .string("$top"), "page_size": .number(100),
                "date_style": .string("wcf"), "receivables_key": .string("type_and_number"),
                "connect_timeout_s": .number(3), "request_timeout_s": .number(600)]))
        let t = try v.validate(doc, keptSecrets: [])
        let tenant = Tenant(id: TenantID("contoso")!, settings: t.settings, secretFields: t.secretFields, createdAt: .now, updatedAt: .now)

        let posting = tenant.postingSettings
        #expect(posting.trigger == .orderPlaced)
        #expect(posting.guestCustomerId == "GUEST WEB")
        #expect(posting.batchDateFormat == .yyyyMMdd)
        #expect(posting.exchangeRateStyle == .divide)
        #expect(posting.orderWaitSeconds == 60)
        #expect(posting.gpIdAttributeCode == "erp_id")          // one attribute for both flows
        #expect(posting.documentPrefix == "WEB" && posting.functionalCurrency == "USD")

        let items = tenant.itemMappingSettings
        #expect(items.priceLevel == "RETAIL" && items.sites == ["MAIN", "EAST"])
        #expect(items.currencyId == "EUR" && items.uofm == "Case")
        #expect(items.attributeSetId == 9 && items.visibility == 2 && items.websiteIds == [1, 3] && items.bulkThreshold == 200)

        let customers = tenant.customerMappingSettings
        #expect(customers.websiteId == 2 && customers.defaultGroupId == 3)
        #expect(customers.groupByClass == ["WHOLESALE": 2] && customers.groupByPriceLevel == ["RETAIL": 1, "VIP": 4])
        #expect(customers.inactive == .sync && customers.onHold == .skip)
        #expect(customers.gpIdAttributeCode == "erp_id" && customers.defaultCountryId == "DE")
        #expect(customers.countryAliases == ["Deutschland": "DE"])

        let sba = tenant.gpSBASettings
        #expect(sba.paths.customers == "Sales/Customer" && sba.paths.items == "Inventory/Items")
        #expect(sba.paths.receivablesTransactions == "Receivables/Documents")
        #expect(sba.jsonSuffix && sba.envelopeKey == "Data" && sba.serverPaging)
        #expect(sba.skipParameter == "$skip" && sba.takeParameter == "$top" && sba.pageSize == 100)
        #expect(sba.dateStyle == .wcf && sba.receivablesKey == .typeAndNumber)
        #expect(sba.connectTimeout == 3 && sba.requestTimeout == 600)

        #expect(try v.validate(t.settings.document, keptSecrets: t.secretFields).settings == t.settings)
    }

    @Test(arguments: [
        ("posting.trigger", DocumentValue.string("order_shipped"), "invalid_choice"),
        ("posting.trigger", .bool(true), "wrong_type"),
        ("posting.guest_customer_id", .string("A-VERY-LONG-CUSTOMER-ID"), "invalid_format"),
        ("posting.guest_customer_id", .string("GUEST'; --"), "invalid_format"),
        ("posting.guest_customer_id", .string(" GUEST"), "invalid_format"),
        ("posting.batch_date_format", .string("ddMMyy"), "invalid_choice"),
        ("posting.exchange_rate_style", .string("add"), "invalid_choice"),
        ("posting.order_wait_s", .number(-1), "out_of_range"),
        ("posting.backstop_full_lookback_days", .number(0), "out_of_range"),
        ("posting.extra", .number(1), "unknown_field"),
        ("items.currency_id", .string("eur"), "invalid_format"),
        ("items.uofm", .string("Too long unit"), "invalid_format"),
        ("items.attribute_set_id", .number(0), "out_of_range"),
        ("items.visibility", .number(5), "out_of_range"),
        ("items.website_ids", .array([]), "wrong_type"),
        ("items.website_ids[1]", .array([.number(1), .string("2")]), "invalid_format"),
        ("items.bulk_threshold", .number(0), "out_of_range"),
        ("items.price_level", .string("RETAIL"), "unknown_field"),
        ("customers.website_id", .number(1.5), "wrong_type"),
        ("customers.group_by_class.WHOLESALE", .object(["WHOLESALE": .number(0)]), "invalid_format"),
        ("customers.group_by_price_level.NOT A LEVEL", .object(["NOT A LEVEL": .number(2)]), "invalid_key"),
        ("customers.inactive", .string("delete"), "invalid_choice"),
        ("customers.on_hold", .string("block"), "invalid_choice"),
        ("customers.gp_id_attribute_code", .string("GP-ID"), "invalid_format"),
        ("customers.default_country_id", .string("USA"), "invalid_format"),
        ("customers.country_aliases.Germany", .object(["Germany": .string("de")]), "invalid_format"),
        ("gp.sba.paths.customers", .string("../../Other"), "invalid_format"),
        ("gp.sba.paths.items", .string("/Inventory/Items"), "invalid_format"),
        ("gp.sba.paths.orders", .string("Sales/Orders"), "unknown_field"),
        ("gp.sba.envelope_key", .string("Pay load"), "invalid_format"),
        ("gp.sba.skip_parameter", .string("skip&x=1"), "invalid_format"),
        ("gp.sba.page_size", .number(0), "out_of_range"),
        ("gp.sba.date_style", .string("us"), "invalid_choice"),
        ("gp.sba.receivables_key", .string("id"), "invalid_choice"),
        ("gp.sba.connect_timeout_s", .number(0), "out_of_range"),
        ("gp.sba.request_timeout_s", .number(99999), "out_of_range"),
        ("gp.sba.json_suffix", .string("yes"), "wrong_type"),
    ])
    func eachBadOptionIsReportedByNameAndCode(path: String, value: DocumentValue, code: String) {
        // A path with an entry or index names the problem inside the value that is set.
        let setAt = path.hasSuffix("]") ? String(path.prefix(upTo: path.firstIndex(of: "[")!))
            : ["group_by_class", "group_by_price_level", "country_aliases"].contains(where: { path.contains(".\($0).") })
            ? String(path[..<path.range(of: ".", options: .backwards)!.lowerBound]) : path
        let found = issues(Fixtures.tenantDocument().setting(setAt, value))
        #expect(found.map(\.field) == [path])
        #expect(found.map(\.code) == [code])
    }

    @Test func aLongBatchPrefixWithFourDigitYearsIsRefusedBecauseGPHoldsFifteenCharacters() {
        let doc = Fixtures.tenantDocument().setting("gp.batch_prefix", .string("WEBSHOP1"))
            .setting("posting.batch_date_format", .string("yyyyMMdd"))
        #expect(issues(doc).map(\.code) == ["batch_id_too_long"])
        #expect(issues(doc.setting("gp.batch_prefix", .string("SHOP"))).isEmpty)
    }

    @Test func aMergePatchChangesOneOptionAndNullRestoresItsDefault() throws {
        let t = try v.validate(Fixtures.tenantDocument(), keptSecrets: [])
        let patch = try DocumentValue.parse(Array(#"{"posting":{"guest_customer_id":"GUEST"},"gp":{"sba":{"paths":{"items":"Inv/Items"}}}}"#.utf8))
        let merged = TenantPatch.apply(patch, to: t.settings.document, storedSecrets: t.secretFields)
        let changed = try v.validate(merged.document, keptSecrets: merged.keptSecrets)
        #expect(changed.settings.posting.guestCustomerId == "GUEST")
        #expect(changed.settings.gp.sba.paths.items == "Inv/Items")
        #expect(changed.settings.gp.sba.paths.customers == "Sales/Customers")
        let reset = try DocumentValue.parse(Array(#"{"posting":{"guest_customer_id":null},"gp":{"sba":null}}"#.utf8))
        let back = TenantPatch.apply(reset, to: changed.settings.document, storedSecrets: changed.secretFields)
        let restored = try v.validate(back.document, keptSecrets: back.keptSecrets)
        #expect(restored.settings == t.settings)
    }
}
