import Foundation

/// Reads the `MLC_`-prefixed environment that mirrors every command-line flag. A flag given on
/// the command line wins over its variable; the variable wins over the built-in default.
enum Environment {
    static func string(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    static func int(_ name: String, default fallback: Int) -> Int {
        string(name).flatMap { Int($0) } ?? fallback
    }
}
