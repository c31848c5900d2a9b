import Foundation
import Logging

extension EmbeddedPostgres {
    /// Where the cluster's files live. Usually `<home>/pg` and `<home>/run`; moved when the
    /// service user cannot reach `<home>` or the socket path would be too long.
    public struct Layout: Sendable, Equatable {
        /// Data directory (`initdb -D`).
        public let dataDirectory: String
        /// Directory of the Unix socket `.s.PGSQL.<port>`.
        public let socketDirectory: String
    }

    /// `sun_path` holds 108 bytes including the terminating NUL.
    static let maxSocketPathBytes = 107

    static func planLayout(home: String, port: Int, user: ServiceUser?, logger: Logger) -> Layout {
        var base = home
        if let user {
            let (ok, blocker) = user.canTraverse(home)
            if !ok {
                base = "/var/lib/ml-connector/" + shortHash(home)
                logger.warning("""
                    embedded PostgreSQL data and socket moved: system user \(user.name) cannot enter \
                    \(blocker ?? home) (PostgreSQL refuses to run as root, so it runs as \(user.name))
                    """, metadata: ["home": "\(home)", "data_base": "\(base)"])
            }
        }
        var socket = base + "/run"
        if (socket + "/.s.PGSQL.\(port)").utf8.count > maxSocketPathBytes {
            let short = "/tmp/mlc-pg-" + shortHash(home).prefix(12)
            logger.warning("embedded PostgreSQL socket moved: the path under home exceeds the Unix socket limit",
                           metadata: ["wanted": "\(socket)", "socket_dir": "\(short)",
                                      "limit_bytes": "\(maxSocketPathBytes)"])
            socket = String(short)
        }
        return Layout(dataDirectory: base + "/pg", socketDirectory: socket)
    }

    /// FNV-1a of the home path: stable across runs, so the moved data is found again.
    static func shortHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Creates `path` and any missing parents (new ones get `mode`, regardless of umask) and gives
    /// it to the service user when there is one. Existing directories keep their mode.
    static func prepareDirectory(_ path: String, user: ServiceUser?, mode: Int = 0o700) throws {
        var current = ""
        for component in path.split(separator: "/") {
            current += "/" + component
            var info = stat()
            if stat(current, &info) == 0 { continue }
            guard mkdir(current, mode_t(mode)) == 0 || errno == EEXIST else {
                throw PostgresError(.embeddedServerFailed, "cannot create \(current): errno \(errno)")
            }
            _ = chmod(current, mode_t(current == path ? mode : 0o755))
        }
        if let user {
            var info = stat()
            if stat(path, &info) == 0, info.st_uid != user.uid {
                try user.own(path, recursive: true)
            }
        }
    }
}
