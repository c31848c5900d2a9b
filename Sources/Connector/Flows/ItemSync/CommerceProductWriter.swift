import Commerce
import Foundation
import Synchronization

/// Writes products through `CommerceClient`: single `PUT /V1/products/{sku}` upserts, or the
/// async bulk endpoint followed by polling `GET /V1/bulk/{uuid}/status` until every operation has
/// an outcome.
///
/// Retryable failures (429, 5xx, network) throw `CommerceError` so the job backs off (honouring
/// Retry-After) and the unrecorded products are written on the next attempt; a product Commerce
/// refuses (400) is `.rejected` with Commerce's message. Bulk operations still open when
/// `bulkTimeout` passes (a PaaS without a running consumer) throw `bulkStillOpen`, which retries.
public struct CommerceProductWriter: ProductWriter, Sendable {
    public let client: CommerceClient
    /// Single upserts in flight at once (the tenant's Commerce concurrency). The calling thread
    /// takes part; the others are our own threads, never Swift's cooperative pool.
    public var maxParallelCalls: Int
    /// The longest wait between two bulk status polls (the first comes after 25 ms, then doubling).
    public var bulkPollInterval: Double
    public var bulkTimeout: Double
    /// Sees every single upsert's answer (for the audit trail), from whichever thread made it.
    public var onWrite: (@Sendable (CommerceProduct, Result<CommerceProduct, CommerceError>) -> Void)?

    public init(client: CommerceClient, maxParallelCalls: Int = 1, bulkPollInterval: Double = 0.5, bulkTimeout: Double = 300,
                onWrite: (@Sendable (CommerceProduct, Result<CommerceProduct, CommerceError>) -> Void)? = nil) {
        self.client = client
        self.maxParallelCalls = max(1, maxParallelCalls)
        self.bulkPollInterval = bulkPollInterval
        self.bulkTimeout = bulkTimeout
        self.onWrite = onWrite
    }

    /// One PUT per product, up to `maxParallelCalls` at a time. The first retryable failure stops
    /// handing out work and is thrown once the calls in flight finish.
    public func upsert(_ products: [CommerceProduct]) throws -> [ProductWriteOutcome] {
        let state = UpsertState(count: products.count)
        let work: @Sendable () -> Void = { [client, onWrite] in
            while let index = state.take() {
                let product = products[index]
                do throws(CommerceError) {
                    let saved = try client.upsertProduct(product)
                    onWrite?(product, .success(saved))
                    state.finish(index, .written)
                } catch {
                    onWrite?(product, .failure(error))
                    if error.isRetryable { state.fail(error); return }
                    state.finish(index, .rejected(RecordError(code: error.code, message: error.message)))
                }
            }
        }
        let helpers = min(maxParallelCalls, products.count) - 1
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<max(0, helpers) {
            let thread = Thread { work(); done.signal() }
            thread.stackSize = 1 << 20
            thread.start()
        }
        work()
        for _ in 0..<max(0, helpers) { done.wait() }
        return try state.result()
    }

    public func bulkUpsert(_ products: [CommerceProduct]) throws -> [ProductWriteOutcome] {
        guard !products.isEmpty else { return [] }
        let accepted = try client.bulkUpsertProducts(products)
        let deadline = Date().addingTimeInterval(bulkTimeout)
        // Poll soon, then less often: a small bulk is usually done within a few tens of ms, and a
        // fixed half-second wait per page was most of a 10,000-item sync's time.
        var interval = min(0.025, bulkPollInterval)
        while true {
            let status = try client.bulkStatus(uuid: accepted.bulkUuid)
            if status.isFinished {
                var byID: [Int: CommerceBulkStatus.Operation] = [:]
                for op in status.operationsList { byID[op.id] = op }
                return products.indices.map { index in
                    guard let op = byID[index] else {
                        return .rejected(RecordError(code: "commerce_bulk_missing", message: "Bulk \(accepted.bulkUuid) has no operation \(index)."))
                    }
                    if op.isComplete { return .written }
                    return .rejected(RecordError(code: "commerce_bulk_failed_\(op.status)",
                                                 message: op.resultMessage ?? "Bulk operation \(index) failed with status \(op.status)."))
                }
            }
            if Date() > deadline { throw CommerceProductWriterError.bulkStillOpen(uuid: accepted.bulkUuid) }
            Thread.sleep(forTimeInterval: interval)
            interval = min(interval * 2, bulkPollInterval)
        }
    }
}

public enum CommerceProductWriterError: Error, Sendable, Equatable {
    /// No consumer processed the bulk in time; retrying re-sends only what is still unrecorded.
    case bulkStillOpen(uuid: String)

    public var code: String { "commerce_bulk_still_open" }
    public var message: String {
        switch self {
        case .bulkStillOpen(let uuid):
            "Commerce accepted bulk \(uuid) but no consumer finished it in time; is async.operations.all running?"
        }
    }
}

/// The shared cursor and results of one parallel upsert.
final class UpsertState: Sendable {
    private let state: Mutex<(next: Int, outcomes: [ProductWriteOutcome?], failure: CommerceError?)>
    private let count: Int

    init(count: Int) {
        self.count = count
        state = Mutex((0, Array(repeating: nil, count: count), nil))
    }

    func take() -> Int? {
        state.withLock { s in
            guard s.failure == nil, s.next < count else { return nil }
            defer { s.next += 1 }
            return s.next
        }
    }

    func finish(_ index: Int, _ outcome: ProductWriteOutcome) { state.withLock { $0.outcomes[index] = outcome } }

    func fail(_ error: CommerceError) { state.withLock { if $0.failure == nil { $0.failure = error } } }

    func result() throws -> [ProductWriteOutcome] {
        try state.withLock { s in
            if let failure = s.failure { throw failure }
            return s.outcomes.map { $0 ?? .rejected(RecordError(code: "not_written", message: "The product was not written.")) }
        }
    }
}
