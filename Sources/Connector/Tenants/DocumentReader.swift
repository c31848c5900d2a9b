/// Reads one JSON object field by field for validation: records a `FieldIssue` for each wrong
/// type or value, remembers which keys were read, and reports the rest as unknown fields.
final class DocumentReader {
    let path: String
    let object: [String: DocumentValue]
    let issues: IssueLog
    private var read: Set<String> = []

    init(_ object: [String: DocumentValue], path: String, issues: IssueLog) {
        self.object = object
        self.path = path
        self.issues = issues
    }

    func field(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    func fail(_ key: String, _ code: String, _ message: String) {
        issues.add(FieldIssue(field: field(key), code: code, message: message))
    }

    /// The value of `key`, treating an explicit `null` like an absent key.
    func value(_ key: String) -> DocumentValue? {
        read.insert(key)
        guard let v = object[key], v != .null else { return nil }
        return v
    }

    func has(_ key: String) -> Bool { value(key) != nil }

    func string(_ key: String, required: Bool = false, maxLength: Int = 256) -> String? {
        guard let v = value(key) else {
            if required { fail(key, "required", "This field is required.") }
            return nil
        }
        guard case .string(let s) = v else {
            fail(key, "wrong_type", "Expected a string, got \(v.typeName).")
            return nil
        }
        // PostgreSQL text and jsonb cannot hold NUL; no field of ours has a use for it.
        if s.unicodeScalars.contains("\u{0}") {
            fail(key, "control_character", "Must not contain NUL characters.")
            return nil
        }
        if s.unicodeScalars.count > maxLength {
            fail(key, "too_long", "At most \(maxLength) characters.")
            return nil
        }
        if required && s.trimmingSpaces.isEmpty {
            fail(key, "required", "Must not be empty.")
            return nil
        }
        return s
    }

    /// A string that must match `allowed` (checked per character) and a length range.
    func token(_ key: String, required: Bool = false, length: ClosedRange<Int>, allowed: (Character) -> Bool, what: String) -> String? {
        guard let s = string(key, required: required, maxLength: max(256, length.upperBound)) else { return nil }
        guard length.contains(s.count), s.allSatisfy(allowed) else {
            fail(key, "invalid_format", "Must be \(what).")
            return nil
        }
        return s
    }

    func bool(_ key: String, default def: Bool) -> Bool {
        guard let v = value(key) else { return def }
        guard case .bool(let b) = v else {
            fail(key, "wrong_type", "Expected a boolean, got \(v.typeName).")
            return def
        }
        return b
    }

    func integer(_ key: String, default def: Int, range: ClosedRange<Int>, allowZero: Bool = false) -> Int {
        guard let v = value(key) else { return def }
        guard case .number(let d) = v, d.rounded() == d, abs(d) < 1e12 else {
            fail(key, "wrong_type", "Expected an integer, got \(v.typeName).")
            return def
        }
        let n = Int(d)
        guard range.contains(n) || (allowZero && n == 0) else {
            fail(key, "out_of_range", "Must be \(allowZero ? "0 or " : "")from \(range.lowerBound) to \(range.upperBound).")
            return def
        }
        return n
    }

    func choice<E: RawRepresentable<String> & CaseIterable>(_ key: String, default def: E?) -> E? {
        let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
        guard let s = string(key, required: def == nil) else { return def }
        guard let e = E(rawValue: s) else {
            fail(key, "invalid_choice", "Must be one of: \(allowed).")
            return nil
        }
        return e
    }

    /// A nested object, or nil (with an issue when `required` or of the wrong type).
    func object(_ key: String, required: Bool = false) -> DocumentReader? {
        guard let v = value(key) else {
            if required { fail(key, "required", "This field is required.") }
            return nil
        }
        guard case .object(let o) = v else {
            fail(key, "wrong_type", "Expected an object, got \(v.typeName).")
            return nil
        }
        return DocumentReader(o, path: field(key), issues: issues)
    }

    func stringArray(_ key: String, maxCount: Int, element: (String) -> Bool, what: String) -> [String]? {
        guard let v = value(key) else { return nil }
        guard case .array(let items) = v, items.count <= maxCount else {
            fail(key, "wrong_type", "Expected an array of at most \(maxCount) strings.")
            return nil
        }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item, element(s) else {
                issues.add(FieldIssue(field: field(key) + "[\(i)]", code: "invalid_format", message: "Must be \(what)."))
                return nil
            }
            out.append(s)
        }
        return out
    }

    /// An array of integers, each in `range`; nil (with an issue) on any bad element.
    func integerArray(_ key: String, count: ClosedRange<Int>, range: ClosedRange<Int>) -> [Int]? {
        guard let v = value(key) else { return nil }
        guard case .array(let items) = v, count.contains(items.count) else {
            fail(key, "wrong_type", "Expected an array of \(count.lowerBound) to \(count.upperBound) integers.")
            return nil
        }
        var out: [Int] = []
        for (i, item) in items.enumerated() {
            guard case .number(let d) = item, d.rounded() == d, abs(d) < 1e12, range.contains(Int(d)) else {
                issues.add(FieldIssue(field: field(key) + "[\(i)]", code: "invalid_format",
                                      message: "Must be an integer from \(range.lowerBound) to \(range.upperBound)."))
                return nil
            }
            out.append(Int(d))
        }
        return out
    }

    /// An object used as a map: every key must pass `keyOK`, every value `value` (which returns
    /// nil for a bad one). Issues name the entry (`customers.group_by_class.RETAIL`).
    func map<V>(_ key: String, maxCount: Int, keyOK: (String) -> Bool, keyWhat: String,
                valueWhat: String, value convert: (DocumentValue) -> V?) -> [String: V]? {
        guard let v = value(key) else { return nil }
        guard case .object(let entries) = v, entries.count <= maxCount else {
            fail(key, "wrong_type", "Expected an object of at most \(maxCount) entries.")
            return nil
        }
        var out: [String: V] = [:]
        var ok = true
        for (k, item) in entries.sorted(by: { $0.key < $1.key }) {
            guard keyOK(k) else {
                issues.add(FieldIssue(field: field(key) + "." + k, code: "invalid_key", message: "Each key must be \(keyWhat)."))
                ok = false
                continue
            }
            guard let converted = convert(item) else {
                issues.add(FieldIssue(field: field(key) + "." + k, code: "invalid_format", message: "Must be \(valueWhat)."))
                ok = false
                continue
            }
            out[k] = converted
        }
        return ok ? out : nil
    }

    /// Records an `unknown_field` issue for every key nobody read. Call after reading all fields.
    func rejectUnknown() {
        for key in object.keys.sorted() where !read.contains(key) {
            issues.add(FieldIssue(field: field(key), code: "unknown_field", message: "Unknown field."))
        }
    }
}

/// The issues found so far in one validation pass.
final class IssueLog {
    private(set) var issues: [FieldIssue] = []
    func add(_ issue: FieldIssue) { issues.append(issue) }
}
