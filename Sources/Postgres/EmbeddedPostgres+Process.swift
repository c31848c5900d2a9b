import Foundation

extension EmbeddedPostgres {
    /// The postmaster pid recorded in `postmaster.pid`, whether or not it still runs.
    static func recordedPID(dataDirectory: String) -> Int32? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
              let first = text.split(separator: "\n").first else { return nil }
        return Int32(first.trimmingCharacters(in: .whitespaces))
    }

    /// True if `pid` is a live process (zombies count as dead: nobody may reap a daemon here).
    static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    /// True if `pid` is a postmaster serving `dataDirectory` (and not an unrelated process that
    /// inherited a recycled pid after a crash).
    static func isPostmaster(_ pid: Int32, dataDirectory: String) -> Bool {
        guard isAlive(pid), let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else {
            return false
        }
        let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return arguments.first.map { $0.hasSuffix("postgres") || $0.hasSuffix("postmaster") } == true
            && arguments.contains(dataDirectory)
    }

    /// Processes whose parent is `pid` (the postmaster's backends and helpers).
    static func childPIDs(of pid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { child in
            guard let stat = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && Int32(fields[1]) == pid
        }
    }

    /// Waits up to `seconds` for `pid` to exit.
    static func waitForExit(_ pid: Int32, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while isAlive(pid) {
            if Date() > deadline { return false }
            usleep(50_000)
        }
        return true
    }
}
