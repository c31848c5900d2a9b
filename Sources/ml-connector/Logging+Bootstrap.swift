import Foundation
import Logging

/// Installs the JSON line handler for the whole process (once) and returns a logger.
func bootstrapLogging(level: String, label: String) -> Logger {
    let parsed = Logger.Level(rawValue: level) ?? .info
    LoggingOnce.lock.lock()
    if !LoggingOnce.done {
        LoggingOnce.done = true
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: parsed) }
    }
    LoggingOnce.lock.unlock()
    return Logger(label: label)
}

private enum LoggingOnce {
    nonisolated(unsafe) static var done = false
    static let lock = NSLock()
}
