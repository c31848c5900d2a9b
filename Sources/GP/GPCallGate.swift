import Foundation

/// The throttle every GP call of a tenant passes through.
///
/// GP's Dexterity sessions are few and slow, so a tenant's calls are capped (`max_parallel_calls`).
/// The queue issue provides a gate enforced in PostgreSQL across processes; `LocalGPCallGate`
/// is the in-process stand-in.
public protocol GPCallGate: Sendable {
    /// Runs `body` while holding one of `tenant`'s call slots; waits for a free slot first.
    func withSlot<T>(tenant: String, _ body: () throws -> T) throws -> T
}

/// No limit at all.
public struct UnlimitedGPCallGate: GPCallGate {
    public init() {}
    public func withSlot<T>(tenant: String, _ body: () throws -> T) throws -> T {
        try body()
    }
}

/// At most `limit(tenant)` calls in flight per tenant within this process. A caller waits up to
/// `maxWait` seconds for a slot, then gets `GPError.throttled` (retryable).
public final class LocalGPCallGate: GPCallGate, @unchecked Sendable {
    private let condition = NSCondition()
    private var inFlight: [String: Int] = [:]
    private var limits: [String: Int] = [:]
    private let defaultLimit: Int
    private let maxWait: Double

    public init(defaultLimit: Int = 3, maxWait: Double = 300) {
        self.defaultLimit = max(1, defaultLimit)
        self.maxWait = maxWait
    }

    /// Sets one tenant's limit (e.g. from its `max_parallel_calls`).
    public func setLimit(_ limit: Int, for tenant: String) {
        condition.lock()
        limits[tenant] = max(1, limit)
        condition.broadcast()
        condition.unlock()
    }

    /// Calls of `tenant` currently holding a slot.
    public func inFlight(tenant: String) -> Int {
        condition.lock()
        defer { condition.unlock() }
        return inFlight[tenant, default: 0]
    }

    public func withSlot<T>(tenant: String, _ body: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(maxWait)
        condition.lock()
        while inFlight[tenant, default: 0] >= (limits[tenant] ?? defaultLimit) {
            if !condition.wait(until: deadline) {
                condition.unlock()
                throw GPError.throttled(tenant: tenant, waitedSeconds: maxWait)
            }
        }
        inFlight[tenant, default: 0] += 1
        condition.unlock()
        defer {
            condition.lock()
            inFlight[tenant, default: 1] -= 1
            condition.broadcast()
            condition.unlock()
        }
        return try body()
    }
}
