import CLibPQ
import Foundation
import Logging

/// One NOTIFY received on a listened channel.
/// (Not named `Notification` so it never clashes with Foundation's type.)
public struct PostgresNotification: Sendable, Equatable {
    public let channel: String
    public let payload: String
    /// The server process that sent it.
    public let backendPID: Int32
}

/// A dedicated connection that LISTENs on channels and waits for notifications with `poll()` on
/// the libpq socket, so an idle worker sleeps without polling the database.
///
/// After the connection is lost it reconnects and LISTENs again on the next `wait`; notifications
/// sent in between are lost, which is fine because callers also poll on a timer. `wait` never
/// spins: if the server is unreachable it sleeps out its timeout and returns nothing.
///
/// ```swift
/// let listener = try NotificationListener(conninfo: url, channels: ["jobs"])
/// while running { for note in try listener.wait(timeout: .seconds(5)) { … }; claimJobs() }
/// ```
///
/// `listen`, `unlisten` and `wait` belong to one thread; `interrupt()` may be called from any
/// thread to wake a `wait` early (e.g. for shutdown).
public final class NotificationListener: @unchecked Sendable {
    private let conninfo: String
    private let logger: Logger
    private var connection: Connection?
    public private(set) var channels: [String] = []
    private let wakeRead: Int32
    private let wakeWrite: Int32

    /// Connects and LISTENs on `channels`; throws if the first connection fails.
    public init(conninfo: String, channels: [String] = [],
                logger: Logger = Logger(label: "mlc.postgres.listener")) throws {
        self.conninfo = conninfo
        self.logger = logger
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw PostgresError(.connectionFailed, "cannot create a wake-up pipe: errno \(errno)")
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        connection = try Connection(conninfo, logger: logger)
        for channel in channels { try listen(channel) }
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    public func listen(_ channel: String) throws {
        if let connection { try connection.executeScript("LISTEN \(try connection.quoteIdentifier(channel))") }
        if !channels.contains(channel) { channels.append(channel) }
    }

    public func unlisten(_ channel: String) throws {
        if let connection { try connection.executeScript("UNLISTEN \(try connection.quoteIdentifier(channel))") }
        channels.removeAll { $0 == channel }
    }

    /// The server process of the current listening session (nil while disconnected).
    public var backendPID: Int32? { connection?.backendPID }

    /// Wakes a thread blocked in `wait`, which then returns what it has (possibly nothing).
    public func interrupt() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// Returns the notifications that arrived, waiting up to `timeout` for the first one.
    public func wait(timeout: Duration) throws -> [PostgresNotification] {
        let deadline = Date().addingTimeInterval(timeout.timeInterval)
        guard let connection = connectionOrReconnect() else {
            sleepInterruptibly(until: deadline)
            return []
        }
        var received = drain(connection)
        while received.isEmpty {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { break }
            var fds = [pollfd(fd: PQsocket(connection.handle), events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, Int32(min(remaining * 1000, 60_000).rounded(.up)))
            if ready < 0 && errno == EINTR { continue }
            if fds[1].revents != 0 {
                drainWakePipe()
                return drain(connection)
            }
            if fds[0].revents != 0 {
                guard PQconsumeInput(connection.handle) == 1, connection.isHealthy else {
                    logger.warning("notification connection lost; reconnecting on next wait",
                                   metadata: ["error": "\(connection.lastErrorMessage)"])
                    self.connection = nil
                    return []
                }
                received = drain(connection)
            }
        }
        return received
    }

    private func connectionOrReconnect() -> Connection? {
        if let connection, connection.isHealthy { return connection }
        connection = nil
        do {
            let fresh = try Connection(conninfo, logger: logger)
            for channel in channels { try fresh.executeScript("LISTEN \(try fresh.quoteIdentifier(channel))") }
            connection = fresh
            logger.info("notification connection re-established", metadata: ["channels": "\(channels)"])
            return fresh
        } catch {
            logger.warning("cannot reconnect the notification listener", metadata: ["error": "\(error)"])
            return nil
        }
    }

    private func drain(_ connection: Connection) -> [PostgresNotification] {
        var out: [PostgresNotification] = []
        while let note = PQnotifies(connection.handle) {
            out.append(PostgresNotification(channel: String(cString: note.pointee.relname),
                                            payload: String(cString: note.pointee.extra),
                                            backendPID: note.pointee.be_pid))
            PQfreemem(note)
        }
        return out
    }

    private func sleepInterruptibly(until deadline: Date) {
        let remaining = deadline.timeIntervalSinceNow
        guard remaining > 0 else { return }
        var fd = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
        if poll(&fd, 1, Int32(min(remaining * 1000, 60_000).rounded(.up))) > 0 { drainWakePipe() }
    }

    private func drainWakePipe() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &buffer, buffer.count) > 0 {}
    }
}
