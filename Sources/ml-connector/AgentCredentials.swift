import ArgumentParser
import Foundation

/// The GP user name and password the agent authenticates with, from flags, environment, or a
/// file only its own user can read. They stay in this process: the server never sees them.
struct AgentCredentials {
    var username: String?
    var password: String?

    /// Reads `username=…` and `password=…` lines (blank lines and `#` comments ignored). Refuses a
    /// file that its group or others can read or write: a password in it would not be private.
    static func load(file path: String) throws -> AgentCredentials {
        var info = stat()
        guard stat(path, &info) == 0 else { throw ValidationError("cannot read --gp-credentials-file \(path)") }
        guard info.st_mode & 0o077 == 0 else {
            throw ValidationError("--gp-credentials-file \(path) is readable or writable by group or others (mode \(String(info.st_mode & 0o777, radix: 8))); run chmod 600 on it")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("cannot read --gp-credentials-file \(path)")
        }
        var found = AgentCredentials()
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            guard let eq = line.firstIndex(of: "=") else {
                throw ValidationError("--gp-credentials-file: every line must be username=… or password=…")
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            let value = String(line[line.index(after: eq)...])
            switch key {
            case "username": found.username = value.trimmingCharacters(in: .whitespaces)
            case "password": found.password = value
            default: throw ValidationError("--gp-credentials-file: unknown key \(key) (use username and password)")
            }
        }
        return found
    }
}
