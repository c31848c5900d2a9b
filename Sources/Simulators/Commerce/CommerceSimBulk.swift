import Crypto
import Foundation

/// The asynchronous bulk API: operations are accepted at once with status 4 (open) and move to
/// 1 (complete) or 3 (failed, change input) only while the `async.operations.all` consumer runs.
final class CommerceSimBulk: @unchecked Sendable {
    struct Operation {
        var id: Int
        var status: Int
        var resultMessage: String?
        var errorCode: Int?
        var serialized: String
        var product: [String: Any]
    }

    struct Bulk {
        var uuid: String
        var topic: String
        var startTime: String
        var operations: [Operation]
    }

    private let lock = NSLock()
    private var bulks: [String: Bulk] = [:]
    /// Open operations in arrival order, so the consumer takes the next one in O(1) instead of
    /// scanning every bulk ever accepted (which made a 10,000-product sync quadratic).
    private var pending: [(uuid: String, index: Int)] = []
    private var pendingHead = 0
    private var running: Bool
    private var thread: Thread?
    private var stopped = false
    /// Applies one product upsert; returns an error text on failure.
    private let apply: @Sendable ([String: Any]) -> String?

    init(running: Bool, apply: @escaping @Sendable ([String: Any]) -> String?) {
        self.running = running
        self.apply = apply
    }

    var consumerRunning: Bool {
        get { lock.withLock { running } }
        set { lock.withLock { running = newValue } }
    }

    func start() {
        let thread = Thread { [weak self] in
            while let self, !self.isStopped {
                if !self.drainOne() { Thread.sleep(forTimeInterval: 0.01) }
            }
        }
        thread.name = "commerce-sim-bulk-consumer"
        self.thread = thread
        thread.start()
    }

    func stop() { lock.withLock { stopped = true } }

    private var isStopped: Bool { lock.withLock { stopped } }

    func enqueue(products: [[String: Any]], topic: String, now: String) -> [String: Any] {
        let uuid = UUID().uuidString.lowercased()
        var items: [[String: Any]] = []
        var ops: [Operation] = []
        for (i, product) in products.enumerated() {
            let data = (try? JSONSerialization.data(withJSONObject: ["product": product])) ?? Data()
            ops.append(Operation(id: i, status: 4, serialized: String(decoding: data, as: UTF8.self), product: product))
            items.append(["id": i, "data_hash": Self.sha256Hex(data), "status": "accepted"])
        }
        lock.withLock {
            bulks[uuid] = Bulk(uuid: uuid, topic: topic, startTime: now, operations: ops)
            pending.append(contentsOf: ops.indices.map { (uuid, $0) })
        }
        return ["bulk_uuid": uuid, "request_items": items, "errors": false]
    }

    func status(_ uuid: String, detailed: Bool) -> [String: Any]? {
        lock.withLock {
            guard let bulk = bulks[uuid] else { return nil }
            let list: [[String: Any]] = bulk.operations.map { op in
                var o: [String: Any] = ["id": op.id, "status": op.status,
                                        "result_message": op.resultMessage ?? NSNull(),
                                        "error_code": op.errorCode ?? NSNull()]
                if detailed {
                    o["bulk_uuid"] = bulk.uuid
                    o["topic_name"] = bulk.topic
                    o["serialized_data"] = op.serialized
                    o["result_serialized_data"] = NSNull()
                }
                return o
            }
            return ["operations_list": list, "user_type": 1, "bulk_id": bulk.uuid,
                    "description": "Topic \(bulk.topic)", "start_time": bulk.startTime, "user_id": 1,
                    "operation_count": bulk.operations.count]
        }
    }

    /// Processes one open operation if the consumer runs; false when there was nothing to do.
    private func drainOne() -> Bool {
        let next: (String, Int, [String: Any])? = lock.withLock {
            guard running, pendingHead < pending.count else { return nil }
            let (uuid, i) = pending[pendingHead]
            pendingHead += 1
            if pendingHead == pending.count {
                pending.removeAll(keepingCapacity: true)
                pendingHead = 0
            }
            guard let product = bulks[uuid]?.operations[i].product else { return nil }
            return (uuid, i, product)
        }
        guard let (uuid, index, product) = next else { return false }
        let error = apply(product)
        lock.withLock {
            if let error {
                bulks[uuid]?.operations[index].status = 3
                bulks[uuid]?.operations[index].resultMessage = error
                bulks[uuid]?.operations[index].errorCode = 0
            } else {
                bulks[uuid]?.operations[index].status = 1
                bulks[uuid]?.operations[index].resultMessage =
                    "Service execution success Magento\\Catalog\\Model\\ProductRepository\\Interceptor::save"
            }
        }
        return true
    }

    private static func sha256Hex(_ data: Data) -> String { Crypto.SHA256.hexDigest(data) }
}
