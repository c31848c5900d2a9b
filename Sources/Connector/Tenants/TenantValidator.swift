/// Turns a client's tenant document into `TenantSettings` plus secrets, or every field-level
/// problem at once. Pure: no database, no network; the RSA key check is passed in so this can be
/// tested by table without the crypto module.
///
/// ```swift
/// let v = TenantValidator(checkPublicKey: { pem in Crypto.isRSAPublicKey(pem) ? nil : "..." })
/// let t = try v.validate(document, keptSecrets: [])   // POST
/// ```
public struct TenantValidator: Sendable {
    /// Returns nil when `pem` is an acceptable webhook key, else a sentence saying why not.
    public typealias PublicKeyCheck = @Sendable (String) -> String?

    public let checkPublicKey: PublicKeyCheck

    public init(checkPublicKey: @escaping PublicKeyCheck) {
        self.checkPublicKey = checkPublicKey
    }

    static let topLevelKeys = ["id", "name", "gp", "commerce", "schedule", "posting", "items", "customers"]

    /// Validates a whole document. `keptSecrets` are the secret fields already stored for this
    /// tenant (empty on registration): an absent secret that is kept satisfies "required".
    public func validate(_ document: DocumentValue, keptSecrets: Set<SecretField>) throws(TenantValidationError) -> ValidatedTenant {
        guard case .object(let root) = document else {
            throw TenantValidationError([FieldIssue(field: "(body)", code: "wrong_type", message: "Expected a JSON object.")])
        }
        let log = IssueLog()
        let r = DocumentReader(root, path: "", issues: log)
        var secrets = SecretValues()

        var id: TenantID?
        if let text = r.string("id", maxLength: 64) {
            id = TenantID(text)
            if id == nil {
                r.fail("id", "invalid_format", "Must be a slug (lowercase letters, digits, inner hyphens; at most 63) or a UUID.")
            }
        }
        let name = r.string("name", required: true, maxLength: 200).map(\.trimmingSpaces)
        if let name, name.unicodeScalars.contains(where: \.isControlOrSeparator) {
            r.fail("name", "control_character", "Must not contain control characters.")
        }
        let gp = r.object("gp", required: true).flatMap { readGP($0, secrets: &secrets, kept: keptSecrets) }
        let commerce = r.object("commerce", required: true).flatMap { readCommerce($0, secrets: &secrets, kept: keptSecrets) }
        let schedule = readSchedule(r.object("schedule"))
        let posting = readPosting(r.object("posting"), gp: gp)
        let items = readItems(r.object("items"))
        let customers = readCustomers(r.object("customers"))
        r.rejectUnknown()

        guard log.issues.isEmpty, let name, let gp, let commerce else {
            throw TenantValidationError(log.issues)
        }
        var fields: Set<SecretField> = []
        for f in [SecretField.gpPassword] + commerce.auth.secretFields where secrets[f] != nil || keptSecrets.contains(f) {
            fields.insert(f)
        }
        let settings = TenantSettings(name: name, gp: gp, commerce: commerce, schedule: schedule,
                                      posting: posting, items: items, customers: customers)
        return ValidatedTenant(id: id, settings: settings, newSecrets: secrets, secretFields: fields)
    }

    func readSchedule(_ r: DocumentReader?) -> ScheduleSettings {
        var s = ScheduleSettings()
        guard let r else { return s }
        let range = 60...604_800
        s.itemsEveryS = r.integer("items_every_s", default: s.itemsEveryS, range: range, allowZero: true)
        s.customersEveryS = r.integer("customers_every_s", default: s.customersEveryS, range: range, allowZero: true)
        s.ordersBackstopEveryS = r.integer("orders_backstop_every_s", default: s.ordersBackstopEveryS, range: range, allowZero: true)
        r.rejectUnknown()
        return s
    }

    /// A secret string: present → recorded for sealing; absent → fine if kept or not `required`.
    func readSecret(_ r: DocumentReader, _ field: SecretField, required: Bool, kept: Set<SecretField>,
                    into secrets: inout SecretValues, validate: ((String) -> Bool)? = nil, what: String = "") {
        let key = field.key
        if let s = r.string(key, maxLength: 1024) {
            if s.isEmpty || s.unicodeScalars.contains(where: \.isControlOrSeparator) {
                r.fail(key, "invalid_format", "Must be a non-empty string without control characters.")
            } else if let validate, !validate(s) {
                r.fail(key, "invalid_format", "Must be \(what).")
            } else {
                secrets[field] = s
            }
        } else if required && !kept.contains(field) && (r.object[key] ?? .null) == .null {
            r.fail(key, "required", "This field is required.")
        }
    }

    func readTLS(_ r: DocumentReader?) -> TLSSettings {
        var tls = TLSSettings()
        guard let r else { return tls }
        tls.verify = r.bool("verify", default: true)
        tls.allowInsecureHTTP = r.bool("allow_insecure_http", default: false)
        if let pem = r.string("ca_pem", maxLength: 65_536) {
            if pem.contains("-----BEGIN CERTIFICATE-----") && pem.contains("-----END CERTIFICATE-----") {
                tls.caPEM = pem
            } else {
                r.fail("ca_pem", "invalid_format", "Must be one or more PEM certificates (-----BEGIN CERTIFICATE-----).")
            }
        }
        r.rejectUnknown()
        return tls
    }
}

/// Character classes shared by the GP and Commerce readers.
enum Chars {
    static func code(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_") }
    static func alnum(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }
    static func upper(_ c: Character) -> Bool { c.isASCII && c.isUppercase }
    static func lowerCode(_ c: Character) -> Bool { c.isASCII && (c.isLowercase || c.isNumber || c == "_") }
    static func identifier(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || "-_.@".contains(c)) }
    static func scope(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || "-_.:".contains(c)) }
}
