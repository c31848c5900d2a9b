import GP

/// The JSON spellings of `posting`, `items`, `customers` and `gp.sba`: every field with its
/// effective value (defaults included), so GET shows what the flows will use and the stored
/// document validates back to the same settings.
extension PostingOptions {
    var document: DocumentValue {
        .object([
            "trigger": .string(trigger.rawValue),
            "guest_customer_id": guestCustomerId.map(DocumentValue.string) ?? .null,
            "batch_date_format": .string(batchDateFormat.rawValue),
            "exchange_rate_style": .string(exchangeRateStyle.rawValue),
            "order_wait_s": .int(orderWaitSeconds),
            "backstop_full_lookback_days": .int(backstopFullLookbackDays),
        ])
    }
}

extension ItemOptions {
    var document: DocumentValue {
        .object([
            "currency_id": currencyId.map(DocumentValue.string) ?? .null,
            "uofm": uofm.map(DocumentValue.string) ?? .null,
            "attribute_set_id": .int(attributeSetId),
            "visibility": .int(visibility),
            "website_ids": .array(websiteIds.map(DocumentValue.int)),
            "bulk_threshold": .int(bulkThreshold),
        ])
    }
}

extension CustomerMappingSettings {
    var document: DocumentValue {
        .object([
            "website_id": .int(websiteId),
            "group_by_class": .object(groupByClass.mapValues(DocumentValue.int)),
            "group_by_price_level": .object(groupByPriceLevel.mapValues(DocumentValue.int)),
            "default_group_id": .int(defaultGroupId),
            "inactive": .string(inactive.rawValue),
            "on_hold": .string(onHold.rawValue),
            "gp_id_attribute_code": .string(gpIdAttributeCode),
            "default_country_id": .string(defaultCountryId),
            "country_aliases": .object(countryAliases.mapValues(DocumentValue.string)),
        ])
    }
}

extension GP.GPSettings {
    var document: DocumentValue {
        .object([
            "paths": .object([
                "items": .string(paths.items),
                "item_price_lists": .string(paths.itemPriceLists),
                "item_sites": .string(paths.itemSites),
                "customers": .string(paths.customers),
                "customer_addresses": .string(paths.customerAddresses),
                "receivables_transactions": .string(paths.receivablesTransactions),
            ]),
            "json_suffix": .bool(jsonSuffix),
            "envelope_key": .string(envelopeKey),
            "envelope_on_reads": .bool(envelopeOnReads),
            "envelope_on_writes": .bool(envelopeOnWrites),
            "server_modified_filter": .bool(serverModifiedFilter),
            "modified_since_parameter": .string(modifiedSinceParameter),
            "server_paging": .bool(serverPaging),
            "skip_parameter": .string(skipParameter),
            "take_parameter": .string(takeParameter),
            "page_size": .int(pageSize),
            "modified_overlap_days": .int(modifiedOverlapDays),
            "date_style": .string(dateStyle.rawValue),
            "literal_commas": .bool(literalCommas),
            "receivables_key": .string(receivablesKey.rawValue),
            "connect_timeout_s": .int(Int(connectTimeout)),
            "request_timeout_s": .int(Int(requestTimeout)),
        ])
    }
}

extension DocumentValue {
    static func int(_ n: Int) -> DocumentValue { .number(Double(n)) }
}
