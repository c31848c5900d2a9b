import CLibPQ
import Foundation

/// Helpers for libpq connection strings (URL `postgres://…` or `key=value` form): parsing,
/// building, and removing the password from anything that might be shown to a person.
public enum ConnInfo {
    /// The options libpq reads from `conninfo` (only those that were set), or nil if malformed.
    public static func parse(_ conninfo: String) -> [String: String]? {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            if let errorMessage { PQfreemem(errorMessage) }
            return nil
        }
        defer { PQconninfoFree(options) }
        var result: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { result[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        return result
    }

    /// A `key=value` conninfo with every value quoted.
    public static func build(_ options: [String: String]) -> String {
        options.sorted { $0.key < $1.key }.map { "\($0.key)=\(quote($0.value))" }.joined(separator: " ")
    }

    /// The same server and credentials with another database name.
    public static func replacingDatabase(_ conninfo: String, with database: String) -> String? {
        guard var options = parse(conninfo) else { return nil }
        options["dbname"] = database
        return build(options)
    }

    /// A description safe for logs and errors: host, port, database and user, never the password.
    public static func redacted(_ conninfo: String) -> String {
        guard let options = parse(conninfo) else { return "(unparseable connection string)" }
        let host = options["host"] ?? options["hostaddr"] ?? "localhost"
        return "host=\(host) port=\(options["port"] ?? "5432") dbname=\(options["dbname"] ?? "-") user=\(options["user"] ?? "-")"
    }

    /// Removes the conninfo's password (plain and URL-encoded) and any `password=` or URL user-info
    /// from `message`.
    public static func scrub(_ message: String, conninfo: String) -> String {
        var text = message
        var secrets: [String] = []
        if let password = parse(conninfo)?["password"], !password.isEmpty { secrets.append(password) }
        if let url = URLComponents(string: conninfo), let password = url.password, !password.isEmpty {
            secrets.append(password)
            if let encoded = url.percentEncodedPassword { secrets.append(encoded) }
        }
        for secret in secrets.sorted(by: { $0.count > $1.count }) {
            text = text.replacingOccurrences(of: secret, with: "***")
        }
        text = text.replacingOccurrences(of: #"password\s*=\s*('([^'\\]|\\.)*'|\S+)"#, with: "password=***",
                                         options: .regularExpression)
        text = text.replacingOccurrences(of: #"://([^:/@\s]*):[^@\s]*@"#, with: "://$1:***@",
                                         options: .regularExpression)
        return text
    }

    /// Quotes a conninfo value: single quotes with `\` and `'` escaped.
    public static func quote(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
