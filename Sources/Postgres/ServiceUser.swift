import Foundation
import Logging

/// The unprivileged system account PostgreSQL runs as when we are root (PostgreSQL refuses to
/// run as root). Created with `useradd --system` when missing.
struct ServiceUser: Sendable {
    let name: String
    let uid: uid_t
    let gid: gid_t

    static func lookup(_ name: String) -> ServiceUser? {
        guard let entry = getpwnam(name) else { return nil }
        return ServiceUser(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    static func ensure(_ name: String, logger: Logger) throws -> ServiceUser {
        if let user = lookup(name) { return user }
        let outcome = try Subprocess.run("/usr/sbin/useradd",
                                         ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name])
        // Another process may have created it at the same moment (exit 9: already exists).
        guard let user = lookup(name) else {
            throw PostgresError(.embeddedServerFailed,
                                "cannot create system user \(name) (useradd exit \(outcome.status)): \(outcome.output)")
        }
        if outcome.status == 0 {
            logger.notice("created system user to run the embedded PostgreSQL (it refuses to run as root)",
                          metadata: ["user": "\(name)"])
        }
        return user
    }

    /// Whether this user may enter `path` and every directory above it.
    func canTraverse(_ path: String) -> (ok: Bool, blocker: String?) {
        var current = ""
        for component in path.split(separator: "/") {
            current += "/" + component
            var info = stat()
            guard stat(current, &info) == 0 else { return (false, current) }
            let mode = info.st_mode
            let allowed = info.st_uid == uid ? mode & S_IXUSR != 0
                : info.st_gid == gid ? mode & S_IXGRP != 0 : mode & S_IXOTH != 0
            if !allowed { return (false, current) }
        }
        return (true, nil)
    }

    /// Gives `path` (and with `recursive`, everything below it) to this user.
    func own(_ path: String, recursive: Bool = false) throws {
        if recursive {
            let outcome = try Subprocess.run("/bin/chown", ["-R", "\(uid):\(gid)", path])
            guard outcome.status == 0 else {
                throw PostgresError(.embeddedServerFailed, "cannot chown \(path) to \(name): \(outcome.output)")
            }
        } else if chown(path, uid, gid) != 0 {
            throw PostgresError(.embeddedServerFailed, "cannot chown \(path) to \(name): errno \(errno)")
        }
    }
}
