import Foundation

/// Where `initdb`, `pg_ctl` and `postgres` live: the first PATH directory holding all three,
/// else the highest `/usr/lib/postgresql/<major>/bin` (Debian's layout). An existing data
/// directory's major version is preferred so a cluster is never started by the wrong version.
struct PostgresBinaries: Sendable {
    let directory: String
    var initdb: String { directory + "/initdb" }
    var pgCtl: String { directory + "/pg_ctl" }

    static func locate(preferredMajor: Int? = nil) throws -> PostgresBinaries {
        let fm = FileManager.default
        func complete(_ dir: String) -> Bool {
            ["initdb", "pg_ctl", "postgres"].allSatisfy { fm.isExecutableFile(atPath: dir + "/" + $0) }
        }
        let root = "/usr/lib/postgresql"
        let versions = ((try? fm.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap { name in Int(name).map { ($0, "\(root)/\(name)/bin") } }
            .filter { complete($0.1) }
            .sorted { $0.0 > $1.0 }
        if let preferredMajor, let match = versions.first(where: { $0.0 == preferredMajor }) {
            return PostgresBinaries(directory: match.1)
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        if let dir = path.split(separator: ":").map(String.init).first(where: complete) {
            return PostgresBinaries(directory: dir)
        }
        if let best = versions.first { return PostgresBinaries(directory: best.1) }
        throw PostgresError(.embeddedServerFailed, "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in "
            + "PATH or \(root)/*/bin; install the Debian package 'postgresql' or set DATABASE_URL")
    }
}
