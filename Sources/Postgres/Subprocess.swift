import Foundation

/// Runs a command to completion, optionally as another user (through `runuser`, or `setpriv`
/// when runuser is missing).
///
/// Uses posix_spawn + waitpid rather than Foundation's `Process`: `pg_ctl start` leaves a daemon
/// behind, and `Process` only reports termination once every descendant has closed an inherited
/// descriptor, so it would wait for the server to exit. The child gets /dev/null as stdin, a
/// temporary file as stdout/stderr, default signal dispositions, and no other descriptors of
/// ours (a daemon must not keep our sockets open).
struct Subprocess {
    struct Outcome {
        let status: Int32
        let output: String
    }

    static func run(_ executable: String, _ arguments: [String], as user: ServiceUser? = nil) throws -> Outcome {
        var launch = executable
        var args = arguments
        if let user {
            if FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") {
                launch = "/usr/sbin/runuser"
                args = ["-u", user.name, "--", executable] + arguments
            } else {
                launch = "/usr/bin/setpriv"
                args = ["--reuid=\(user.uid)", "--regid=\(user.gid)", "--clear-groups", "--", executable] + arguments
            }
        }
        var template = Array((NSTemporaryDirectory() + "/mlc-subprocess-XXXXXX").utf8CString)
        let logFD = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard logFD >= 0 else {
            throw PostgresError(.embeddedServerFailed, "cannot create a temporary file: errno \(errno)")
        }
        let logPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer {
            close(logFD)
            unlink(logPath)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, logFD, 1)
        posix_spawn_file_actions_adddup2(&actions, logFD, 2)
        _ = GlibcExtensions.addCloseFrom?(&actions, 3)
        _ = GlibcExtensions.addChdir?(&actions, "/")  // the service user may not enter our cwd

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2] { sigaddset(&defaults, signal) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        environment["LC_ALL"] = "C"
        let argv = ([launch] + args).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, launch, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw PostgresError(.embeddedServerFailed, "cannot run \(launch): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return Outcome(status: exitCode, output: output)
    }
}

/// glibc's `_np` spawn actions (2.29+/2.34+) are hidden behind _GNU_SOURCE from Swift's Glibc
/// module, so they are looked up at run time; when missing the child simply keeps those defaults.
private enum GlibcExtensions {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias Chdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    static let addCloseFrom: CloseFrom? = lookup("posix_spawn_file_actions_addclosefrom_np")
    static let addChdir: Chdir? = lookup("posix_spawn_file_actions_addchdir_np")

    private static func lookup<F>(_ name: String) -> F? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: F.self)
    }
}
