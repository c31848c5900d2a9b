/// The answer to an async bulk request: accepted at once, processed by a queue consumer later.
public struct CommerceBulkAccepted: Codable, Sendable, Equatable {
    public struct RequestItem: Codable, Sendable, Equatable {
        public var id: Int
        public var dataHash: String?
        public var status: String
    }
    public var bulkUuid: String
    public var requestItems: [RequestItem]
    public var errors: Bool
}

/// `GET /V1/bulk/{uuid}/status`. Operation status: 1 complete, 2 failed (retriable),
/// 3 failed (change input), 4 open, 5 rejected.
public struct CommerceBulkStatus: Codable, Sendable, Equatable {
    public struct Operation: Codable, Sendable, Equatable {
        public var id: Int
        public var status: Int
        public var resultMessage: String?
        public var errorCode: Int?

        public var isOpen: Bool { status == 4 }
        public var isComplete: Bool { status == 1 }
    }
    public var bulkId: String
    public var operationCount: Int
    public var operationsList: [Operation]

    /// True once no operation is still open (4). With no consumer running (PaaS without cron
    /// or `queue:consumers:start async.operations.all`) this never becomes true.
    public var isFinished: Bool { !operationsList.contains { $0.isOpen } }
}

/// Outcome of `ping()`: reachable with these credentials, how fast, or why not.
public struct CommercePing: Sendable, Equatable {
    public var ok: Bool
    public var latencyMs: Int
    public var error: CommerceError?
}
