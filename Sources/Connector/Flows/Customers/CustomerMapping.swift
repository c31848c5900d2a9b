import Commerce
import Foundation
import GP

/// A customer account ready to write, the lower-cased e-mail it is matched by, and its hash.
public struct MappedCustomer: Sendable, Equatable {
    public var customer: CommerceCustomer
    public var email: String
    public var contentHash: String
}

/// GP customer + addresses → a Commerce customer account.
///
/// - e-mail: the customer's, else the default address's, else any address's; trimmed, lower-cased
///   (Commerce matches e-mail case-insensitively; so does the connector). None → skipped.
/// - names: the default address's contact person, else the customer name (see `PersonName`).
/// - group: by GP class, else by GP price level, else the default group.
/// - the GP customer id goes into a custom attribute so orders map back.
/// - inactive / on hold: per the tenant's policy (skip with the reason, or sync).
public enum CustomerMapping {
    public static let version = 1

    public static func map(customer gp: GPCustomer, addresses: [GPCustomerAddress],
                           settings: CustomerMappingSettings) -> Result<MappedCustomer, SkipReason> {
        let id = gp.customerId.trimmingCharacters(in: .whitespaces)
        if !gp.isActive && settings.inactive == .skip {
            return .failure(SkipReason(code: "customer_inactive",
                                       message: "GP customer \(id) is inactive; the tenant's policy skips inactive customers."))
        }
        if gp.isOnHold && settings.onHold == .skip {
            return .failure(SkipReason(code: "customer_on_hold",
                                       message: "GP customer \(id) is on hold; the tenant's policy skips customers on hold."))
        }
        let own = addresses
            .filter { $0.customerId.trimmingCharacters(in: .whitespaces).uppercased() == id.uppercased() }
            .sorted { $0.addressId < $1.addressId }
        let defaultID = gp.defaultAddressId?.trimmingCharacters(in: .whitespaces).uppercased()
        let primary = own.first { $0.addressId.trimmingCharacters(in: .whitespaces).uppercased() == defaultID } ?? own.first
        let rawEmail = [gp.email, primary?.email].compactMap { $0 }.first { !$0.trimmed.isEmpty }
            ?? own.compactMap(\.email).first { !$0.trimmed.isEmpty }
        guard let rawEmail else {
            return .failure(SkipReason(code: "no_email",
                                       message: "GP customer \(id) has no e-mail address; Commerce accounts need one. Add it in GP (Internet Information)."))
        }
        let email = rawEmail.trimmed.lowercased()
        guard isPlausibleEmail(email) else {
            return .failure(SkipReason(code: "invalid_email", message: "GP customer \(id) has an e-mail address Commerce would refuse: \(email)."))
        }
        let companyName = gp.name.trimmed
        let name = PersonName(splitting: primary?.contactPerson ?? "") ?? PersonName(splitting: companyName)
            ?? PersonName(first: id, last: id)

        var mappedAddresses: [CommerceAddress] = []
        for address in own {
            guard var a = commerceAddress(address, fallbackName: name, company: companyName, settings: settings) else { continue }
            let isDefault = address.addressId == primary?.addressId
            a.defaultBilling = isDefault
            a.defaultShipping = isDefault
            mappedAddresses.append(a)
        }

        let customer = CommerceCustomer(email: email, firstname: name.first, lastname: name.last,
                                        websiteId: settings.websiteId, groupId: group(for: gp, settings: settings),
                                        addresses: mappedAddresses,
                                        customAttributes: [CommerceCustomAttribute(settings.gpIdAttributeCode, id)])
        return .success(MappedCustomer(customer: customer, email: email, contentHash: contentHash(customer)))
    }

    public static func group(for gp: GPCustomer, settings: CustomerMappingSettings) -> Int {
        func lookup(_ key: String?, in map: [String: Int]) -> Int? {
            guard let key = key?.trimmed.uppercased(), !key.isEmpty else { return nil }
            return map.first { $0.key.trimmed.uppercased() == key }?.value
        }
        return lookup(gp.classId, in: settings.groupByClass) ?? lookup(gp.priceLevel, in: settings.groupByPriceLevel)
            ?? settings.defaultGroupId
    }

    /// An address Commerce would accept: at least a street line and a city.
    static func commerceAddress(_ a: GPCustomerAddress, fallbackName: PersonName, company: String,
                                settings: CustomerMappingSettings) -> CommerceAddress? {
        let street = [a.line1, a.line2, a.line3].compactMap { $0?.trimmed }.filter { !$0.isEmpty }
        guard !street.isEmpty, let city = a.city?.trimmed, !city.isEmpty else { return nil }
        let name = PersonName(splitting: a.contactPerson ?? "") ?? fallbackName
        let state = a.state?.trimmed ?? ""
        return CommerceAddress(
            firstname: name.first, lastname: name.last, company: company.isEmpty ? nil : company, street: street,
            city: city, region: state.isEmpty ? nil : .init(regionCode: state.count <= 3 ? state.uppercased() : nil, region: state),
            postcode: a.postalCode?.trimmed.nilIfEmpty,
            countryId: CountryCode.alpha2(a.countryRegion, aliases: settings.countryAliases, fallback: settings.defaultCountryId),
            telephone: a.phone1.map(phone)?.nilIfEmpty)
    }

    /// GP stores phones as digits padded with zeros for the extension (`55501234560000`).
    static func phone(_ raw: String) -> String {
        let digits = raw.trimmed
        if digits.count == 14, digits.allSatisfy(\.isNumber), digits.hasSuffix("0000") { return String(digits.prefix(10)) }
        return digits
    }

    static func isPlausibleEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && !s.contains(where: \.isWhitespace) && s.count <= 254
    }

    public static func contentHash(_ c: CommerceCustomer) -> String {
        var e = CanonicalEncoding(kind: "customer", version: version)
        e.add("email", c.email)
        e.add("firstname", c.firstname)
        e.add("lastname", c.lastname)
        e.add("website_id", c.websiteId)
        e.add("group_id", c.groupId)
        for attr in (c.customAttributes ?? []).sorted(by: { $0.attributeCode < $1.attributeCode }) {
            e.add("attr." + attr.attributeCode, attr.value)
        }
        for (i, a) in (c.addresses ?? []).enumerated() {
            let p = "address.\(i)."
            e.add(p + "firstname", a.firstname)
            e.add(p + "lastname", a.lastname)
            e.add(p + "company", a.company)
            e.add(p + "street", a.street ?? [])
            e.add(p + "city", a.city)
            e.add(p + "region_code", a.region?.regionCode)
            e.add(p + "region", a.region?.region)
            e.add(p + "postcode", a.postcode)
            e.add(p + "country_id", a.countryId)
            e.add(p + "telephone", a.telephone)
            e.add(p + "default_billing", a.defaultBilling)
            e.add(p + "default_shipping", a.defaultShipping)
        }
        return e.sha256
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
