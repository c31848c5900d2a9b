import Commerce
import Foundation

/// Writes products through `CommerceClient`: single `PUT /V1/products/{sku}` upserts, or the
/// async bulk endpoint followed by polling `GET /V1/bulk/{uuid}/status` until every operation has
/// an outcome.
///
/// Retryable failures (429, 5xx, network) throw `CommerceError` so the job backs off (honouring
/// Retry-After) and the unrecorded products are written on the next attempt; a product Commerce
/// refuses (400) is `.rejected` with Commerce's message. Bulk operations still open when
/// `bulkTimeout` passes (a PaaS without a running consumer) throw `bulkStillOpen`, which retries.
public struct CommerceProductWriter: ProductWriter {
    public let client: CommerceClient
    public var bulkPollInterval: Double
    public var bulkTimeout: Double
    /// Sees every single upsert's answer (for the audit trail).
    public var onWrite: ((CommerceProduct, Result<CommerceProduct, CommerceError>) -> Void)?

    public init(client: CommerceClient, bulkPollInterval: Double = 0.5, bulkTimeout: Double = 300,
                onWrite: ((CommerceProduct, Result<CommerceProduct, CommerceError>) -> Void)? = nil) {
        self.client = client
        self.bulkPollInterval = bulkPollInterval
        self.bulkTimeout = bulkTimeout
        self.onWrite = onWrite
    }

    public func upsert(_ products: [CommerceProduct]) throws -> [ProductWriteOutcome] {
        var outcomes: [ProductWriteOutcome] = []
        for product in products {
            do {
                let saved = try client.upsertProduct(product)
                onWrite?(product, .success(saved))
                outcomes.append(.written)
            } catch {
                onWrite?(product, .failure(error))
                if error.isRetryable { throw error }
                outcomes.append(.rejected(RecordError(code: error.code, message: error.message)))
            }
        }
        return outcomes
    }

    public func bulkUpsert(_ products: [CommerceProduct]) throws -> [ProductWriteOutcome] {
        guard !products.isEmpty else { return [] }
        let accepted = try client.bulkUpsertProducts(products)
        let deadline = Date().addingTimeInterval(bulkTimeout)
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
            Thread.sleep(forTimeInterval: bulkPollInterval)
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
