import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a loaded master key came from, for the start-up log line.
public enum MasterKeySource: Sendable, Equatable, CustomStringConvertible {
    /// `MLC_MASTER_KEY`.
    case environment
    /// The file named by `MLC_MASTER_KEY_FILE`.
    case file(path: String)
    /// `<home>/master.key`, which already existed.
    case homeFile(path: String)
    /// `<home>/master.key`, created just now.
    case generatedHomeFile(path: String)

    public var description: String {
        switch self {
        case .environment: "environment variable MLC_MASTER_KEY"
        case .file(let path): "MLC_MASTER_KEY_FILE \(path)"
        case .homeFile(let path): "key file \(path)"
        case .generatedHomeFile(let path): "newly generated key file \(path)"
        }
    }
}

/// A condition worth logging at warning level that does not stop start-up.
///
/// Decision: a key file readable by group or others is a warning, not an error. Container
/// platforms often mount secret files 0644 (Kubernetes' default), and refusing to start there
/// would push people to put the key in a plain environment variable, which is worse.
public struct MasterKeyWarning: Sendable, Equatable, CustomStringConvertible {
    public let code: String
    public let message: String
    public var description: String { "\(code): \(message)" }

    static func permissions(path: String, mode: mode_t) -> MasterKeyWarning {
        MasterKeyWarning(code: "master_key_file_permissions",
                         message: "master key file \(path) has mode \(String(mode & 0o777, radix: 8)) and is readable by group or others; chmod 600 it")
    }
}

/// The result of loading the master key.
public struct LoadedMasterKey: Sendable {
    public let key: MasterKey
    public let source: MasterKeySource
    public let warnings: [MasterKeyWarning]
    /// True when this call generated `<home>/master.key`; the CLI must log that it did.
    public var created: Bool {
        if case .generatedHomeFile = source { return true }
        return false
    }
}

extension MasterKey {
    public static let environmentVariable = "MLC_MASTER_KEY"
    public static let fileEnvironmentVariable = "MLC_MASTER_KEY_FILE"
    /// Comma-separated base64 keys that may still open old secrets during a rotation.
    public static let previousEnvironmentVariable = "MLC_MASTER_KEY_PREVIOUS"
    public static let homeFileName = "master.key"

    /// Finds the master key, in this order:
    /// 1. `MLC_MASTER_KEY` (base64 of 32 bytes);
    /// 2. `MLC_MASTER_KEY_FILE` (a file containing that base64);
    /// 3. `<home>/master.key` if `home` is given: read it, or create it (mode 0600) when
    ///    `createIfMissing` is true (the embedded default).
    ///
    /// Setting both variables is `master_key_conflict`; an empty variable counts as unset.
    /// Nothing found is `master_key_missing`; a bad key is `master_key_invalid`.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment,
                            home: URL?, createIfMissing: Bool) throws(CryptoError) -> LoadedMasterKey {
        let inline = environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        let file = environment[fileEnvironmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        switch (inline, file) {
        case (.some, .some):
            throw .masterKeyConflict
        case (.some(let value), nil):
            return LoadedMasterKey(key: try MasterKey(base64: value, source: environmentVariable),
                                   source: .environment, warnings: [])
        case (nil, .some(let path)):
            let (key, warnings) = try read(file: URL(fileURLWithPath: path), missingHint: "\(fileEnvironmentVariable) points to")
            return LoadedMasterKey(key: key, source: .file(path: path), warnings: warnings)
        case (nil, nil):
            guard let home else {
                throw .masterKeyMissing("set \(environmentVariable) (base64 of 32 bytes) or \(fileEnvironmentVariable)")
            }
            return try loadFromHome(home, createIfMissing: createIfMissing)
        }
    }

    /// Reads `<home>/master.key`, or creates it with a fresh key (mode 0600, directory 0700 if
    /// it has to be made) when it does not exist and `createIfMissing` is true.
    /// `LoadedMasterKey.created` tells whether the file was created by this call.
    public static func loadFromHome(_ home: URL, createIfMissing: Bool) throws(CryptoError) -> LoadedMasterKey {
        let url = home.appendingPathComponent(homeFileName)
        let path = url.path
        if FileManager.default.fileExists(atPath: path) || !createIfMissing {
            guard FileManager.default.fileExists(atPath: path) else {
                throw .masterKeyMissing("set \(environmentVariable) or \(fileEnvironmentVariable); \(path) does not exist and creating it is not allowed here")
            }
            let (key, warnings) = try read(file: url, missingHint: "key file")
            return LoadedMasterKey(key: key, source: .homeFile(path: path), warnings: warnings)
        }
        let key = try generate()
        do {
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .masterKeyUnreadable("cannot create directory \(home.path) for the master key")
        }
        switch createExclusively(path: path, contents: Array((key.exportBase64() + "\n").utf8)) {
        case .created:
            return LoadedMasterKey(key: key, source: .generatedHomeFile(path: path), warnings: [])
        case .alreadyExists:
            // Another process created it between our check and our create: use theirs.
            let (existing, warnings) = try read(file: url, missingHint: "key file")
            return LoadedMasterKey(key: existing, source: .homeFile(path: path), warnings: warnings)
        case .failed(let errno):
            throw .masterKeyUnreadable("cannot create \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Keys listed in `MLC_MASTER_KEY_PREVIOUS` (comma-separated base64), for rotation.
    public static func previousKeys(environment: [String: String] = ProcessInfo.processInfo.environment) throws(CryptoError) -> [MasterKey] {
        guard let list = environment[previousEnvironmentVariable] else { return [] }
        var keys: [MasterKey] = []
        for (index, item) in list.split(separator: ",").enumerated() {
            keys.append(try MasterKey(base64: String(item), source: "\(previousEnvironmentVariable) entry \(index + 1)"))
        }
        return keys
    }

    /// Reads a key file holding base64 of 32 bytes, warning when group or others can read it.
    public static func read(file url: URL, missingHint: String = "key file") throws(CryptoError) -> (MasterKey, [MasterKeyWarning]) {
        let path = url.path
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { throw .masterKeyMissing("\(missingHint) \(path), which does not exist") }
            throw .masterKeyUnreadable("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw .masterKeyUnreadable("\(path) is not a regular file")
        }
        // A key file is one line; refuse to slurp something huge that was named by mistake.
        guard info.st_size <= 4096 else {
            throw .masterKeyInvalid("\(path) is \(info.st_size) bytes; expected one line of base64 of 32 bytes")
        }
        let contents: Data
        do { contents = try Data(contentsOf: url) } catch {
            throw .masterKeyUnreadable("cannot read \(path) (check its owner and permissions)")
        }
        guard let text = String(data: contents, encoding: .utf8) else {
            throw .masterKeyInvalid("\(path) is not text; expected base64 of exactly 32 bytes")
        }
        let key = try MasterKey(base64: text, source: "the key in \(path)")
        let warnings = info.st_mode & 0o077 != 0 ? [MasterKeyWarning.permissions(path: path, mode: info.st_mode)] : []
        return (key, warnings)
    }

    private enum CreateResult { case created, alreadyExists, failed(Int32) }

    /// O_EXCL so two processes starting together never overwrite each other's key; fchmod
    /// because the process umask could otherwise widen or narrow the 0600 we ask for.
    private static func createExclusively(path: String, contents: [UInt8]) -> CreateResult {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return errno == EEXIST ? .alreadyExists : .failed(errno) }
        var ok = fchmod(fd, 0o600) == 0
        var written = 0
        while ok && written < contents.count {
            let n = contents[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { ok = false } else { written += n }
        }
        ok = ok && fsync(fd) == 0
        let err = errno
        close(fd)
        if !ok {
            unlink(path)
            return .failed(err)
        }
        return .created
    }
}
