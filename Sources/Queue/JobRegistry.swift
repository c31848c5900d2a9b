import Foundation
import Synchronization

/// What a handler runs with: the claimed job and its context (progress, cancellation, the
/// transaction that completes it).
public typealias JobHandler = @Sendable (Job, JobContext) throws -> Void

/// The properties of a job kind that the queue itself enforces.
public struct JobKind: Sendable {
    public let name: String
    /// The job holds one of its tenant's GP slots while it runs (per-tenant concurrency limit).
    public let usesGP: Bool
    public let maxAttempts: Int
    /// Longest a single attempt may run; after it, heartbeats stop and the rescuer takes the job.
    public let timeout: Double
}

/// Handlers by job kind. Register every kind before starting a `WorkerPool`; the same registry
/// given to `JobQueue` lets enqueuers stamp `uses_gp` and `max_attempts` on the job row.
///
/// ```swift
/// let registry = JobRegistry()
/// registry.register("items.sync", usesGP: true, maxAttempts: 10) { job, context in
///     try context.reportProgress(processed: 10, total: 100)
///     if context.isCancelled { throw JobFailure.permanent("cancelled") }
/// }
/// ```
public final class JobRegistry: Sendable {
    private struct Entry: Sendable {
        let kind: JobKind
        let handler: JobHandler
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init() {}

    public func register(_ kind: String, usesGP: Bool = false, maxAttempts: Int = 20,
                         timeout: Double = 1800, handler: @escaping JobHandler) {
        let entry = Entry(kind: JobKind(name: kind, usesGP: usesGP, maxAttempts: max(1, maxAttempts),
                                        timeout: timeout), handler: handler)
        entries.withLock { $0[kind] = entry }
    }

    public func kind(_ name: String) -> JobKind? { entries.withLock { $0[name]?.kind } }

    func handler(_ name: String) -> JobHandler? { entries.withLock { $0[name]?.handler } }

    public var kinds: [String] { entries.withLock { Array($0.keys).sorted() } }
}
