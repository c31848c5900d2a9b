import ArgumentParser
import Foundation
import Logging

/// Where the data lives: an explicit PostgreSQL URL, or the embedded server under `--home`.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "PostgreSQL URL or key=value string (env DATABASE_URL). Omit it to use the embedded PostgreSQL under --home.")
    var databaseURL: String? = Environment.string("DATABASE_URL") ?? Environment.string("MLC_DATABASE_URL")

    @Option(name: .long, help: "Folder for the embedded PostgreSQL, keys and local state (env MLC_HOME).")
    var home: String = Environment.string("MLC_HOME") ?? "./.ml-connector"

    @Option(name: .long, help: "Folder of the numbered SQL migrations (env MLC_SCHEMA_DIR). Default: ./Schema, else beside the executable.")
    var schemaDir: String? = Environment.string("MLC_SCHEMA_DIR")

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical (env MLC_LOG_LEVEL).")
    var logLevel: String = Environment.string("MLC_LOG_LEVEL") ?? "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    var homeURL: URL { URL(fileURLWithPath: home).standardizedFileURL }

    /// The migrations folder: the flag or variable, else `./Schema`, else the `Schema` folder found
    /// by walking up from the executable (a checkout's `.build/…/ml-connector`).
    func schemaDirectory() throws -> URL {
        if let schemaDir { return URL(fileURLWithPath: schemaDir) }
        if let found = Self.shippedFile("Schema") { return found }
        throw ValidationError("cannot find the Schema folder; pass --schema-dir or set MLC_SCHEMA_DIR")
    }

    /// The OpenAPI document served at /openapi.yaml (env MLC_OPENAPI_PATH, else found like Schema).
    func openAPIPath() throws -> String {
        if let path = Environment.string("MLC_OPENAPI_PATH") { return path }
        if let found = Self.shippedFile("OpenAPI/openapi.yaml") { return found.path }
        throw ValidationError("cannot find OpenAPI/openapi.yaml; set MLC_OPENAPI_PATH")
    }

    /// A file shipped beside the code: under the working directory, else in a parent of the
    /// executable, else in `share/ml-connector` of an install prefix.
    static func shippedFile(_ relative: String) -> URL? {
        let fm = FileManager.default
        var candidates = [URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent(relative)]
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(dir.appendingPathComponent(relative))
            candidates.append(dir.appendingPathComponent("share/ml-connector/" + relative))
            dir.deleteLastPathComponent()
        }
        return candidates.first { fm.fileExists(atPath: $0.path) }
    }
}
