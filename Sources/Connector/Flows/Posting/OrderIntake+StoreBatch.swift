import Foundation
import Logging
import Postgres
import Queue

extension OrderIntake {
    /// One webhook of a batch: what `receiveAndStore` takes per hook. A nil `request` is a
    /// delivery without a record: with a `hint` (a paid invoice that names its order by entity
    /// id only) it comes with a `resolve_invoice` job under the invoice's dedup key; without one
    /// (an invoice saved unpaid) it is kept for audit only.
    public struct Arrival: Sendable {
        public var tenant: String
        public var trigger: PostingTrigger
        public var request: OrderPostingRun.Request?
        public var hint: InvoiceHint?
        public var eventName: String
        public var body: [UInt8]
        public var signatureOK: Bool

        public init(tenant: String, trigger: PostingTrigger, request: OrderPostingRun.Request?, hint: InvoiceHint? = nil,
                    eventName: String, body: [UInt8], signatureOK: Bool = true) {
            self.tenant = tenant
            self.trigger = trigger
            self.request = request
            self.hint = request == nil ? hint : nil
            self.eventName = eventName
            self.body = body
            self.signatureOK = signatureOK
        }

        /// The key that must not appear twice in one statement: the order's, or the hint's.
        var roundKey: String? {
            if let request { return OrderPosting.dedupKey(tenant: tenant, incrementId: request.incrementId) }
            return hint?.dedupKey(tenant: tenant)
        }
    }

    /// The job kind of an invoice hint (`ConnectorJobs.resolveInvoice`).
    static let resolveKind = ConnectorJobs.resolveInvoice

    /// What `receiveAndStoreBatch` did for one hook.
    public struct BatchStored: Sendable, Equatable {
        /// `receive`'s decision; nil for an audit-only delivery.
        public var decision: Decision?
        public var recordID: Int64?
        /// A new posting job was inserted for this hook.
        public var jobInserted: Bool
    }

    /// `receiveAndStore` for many hooks with as few commits as possible (group commit: one WAL
    /// flush serves the whole batch). The outcome of every hook is what storing the hooks one
    /// after the other, in order, would give; each hook is atomic by itself (record, audit, job
    /// and delivery commit together or not at all).
    ///
    /// - Hooks are split into rounds so that no round names a record twice (an upsert cannot
    ///   touch one row twice in a statement): a hook's round is the number of earlier hooks of
    ///   the batch for the same order. Usually there is one round: one statement, one commit.
    /// - Each round is ONE statement (`batchStoreSQL`). Should it fail — one hook breaks a
    ///   constraint, a deadlock, a bad byte — its hooks are stored one by one, so only the
    ///   culprit fails and every caller gets its own answer.
    public func receiveAndStoreBatch(_ conn: Connection, queue: JobQueue, kind: String, _ arrivals: [Arrival],
                                     logger: Logger? = nil) -> [Result<BatchStored, any Error>] {
        var outcomes = [Result<BatchStored, any Error>?](repeating: nil, count: arrivals.count)
        for round in Self.rounds(arrivals) {
            if round.count > 1 {
                do {
                    let stored = try storeRound(conn, queue: queue, kind: kind, round.map { arrivals[$0] })
                    for (i, index) in round.enumerated() { outcomes[index] = stored[i] }
                    continue
                } catch {
                    logger?.notice("webhook batch statement failed; storing its hooks one by one",
                                   metadata: ["hooks": "\(round.count)", "error": "\(error)"])
                }
            }
            for index in round {
                outcomes[index] = Result { try storeOne(conn, queue: queue, kind: kind, arrivals[index]) }
            }
        }
        return outcomes.map { $0 ?? .failure(PostgresError(.queryFailed, "webhook batch left a hook unstored")) }
    }

    /// Indexes of `arrivals` per round, rounds in order, each in arrival order.
    static func rounds(_ arrivals: [Arrival]) -> [[Int]] {
        var seen: [String: Int] = [:]
        var rounds: [[Int]] = []
        for (index, arrival) in arrivals.enumerated() {
            var round = 0
            if let key = arrival.roundKey {
                round = seen[key, default: 0]
                seen[key] = round + 1
            }
            if round == rounds.count { rounds.append([]) }
            rounds[round].append(index)
        }
        return rounds
    }

    /// The single-hook path (also the fallback of a failed round).
    func storeOne(_ conn: Connection, queue: JobQueue, kind: String, _ arrival: Arrival) throws -> BatchStored {
        guard let request = arrival.request else {
            guard let hint = arrival.hint else {
                try WebhookDeliveryStore().insert(conn, tenant: arrival.tenant, eventName: arrival.eventName, dedupKey: nil,
                                                  body: arrival.body, signatureOK: arrival.signatureOK)
                return BatchStored(decision: nil, recordID: nil, jobInserted: false)
            }
            let key = hint.dedupKey(tenant: arrival.tenant)
            let inserted = try conn.transaction { tx -> Bool in
                try WebhookDeliveryStore().insert(tx, tenant: arrival.tenant, eventName: arrival.eventName, dedupKey: key,
                                                  body: arrival.body, signatureOK: arrival.signatureOK)
                return try queue.enqueue(tx, EnqueueRequest(kind: Self.resolveKind, tenantID: arrival.tenant,
                                                            payload: hint.payload, dedupKey: key)).inserted
            }
            return BatchStored(decision: nil, recordID: nil, jobInserted: inserted)
        }
        let stored = try receiveAndStore(conn, queue: queue, kind: kind, tenant: arrival.tenant, trigger: arrival.trigger,
                                         request, eventName: arrival.eventName, body: arrival.body,
                                         signatureOK: arrival.signatureOK)
        return BatchStored(decision: stored.decision, recordID: stored.recordID, jobInserted: stored.jobInserted)
    }

    /// One round in one statement. Throws only when the statement fails (nothing of it
    /// committed, so the caller may store the hooks again one by one); once it has committed, a
    /// hook whose answer cannot be read is a failure of its own, never a reason to store twice.
    func storeRound(_ conn: Connection, queue: JobQueue, kind: String,
                    _ hooks: [Arrival]) throws -> [Result<BatchStored, any Error>] {
        let encoder = JSONEncoder()
        // Per decision table: its index in the statement and whether any status posts (only
        // then does a hook need its job payload encoded).
        var tableIndex: [String: (set: Int32, posts: Bool)] = [:]
        var rules = (sets: [Int32](), keys: [String?](), post: [Bool](), messages: [String?]())
        var ruleSet: [Int32] = [], sourceKeys: [String?] = [], channels: [String?] = [], events: [String?] = []
        var dedupKeys: [String?] = [], payloads: [String?] = []
        for hook in hooks {
            guard let request = hook.request else {
                ruleSet.append(-1); sourceKeys.append(nil); channels.append(nil); events.append(nil)
                dedupKeys.append(hook.hint?.dedupKey(tenant: hook.tenant)); payloads.append(hook.hint?.payload)
                continue
            }
            let cacheKey = "\(request.event.rawValue)|\(request.arrivedVia.rawValue)|\(hook.trigger.rawValue)"
            let table: (set: Int32, posts: Bool)
            if let known = tableIndex[cacheKey] {
                table = known
            } else {
                let decisions = Self.decisionTable(event: request.event, via: request.arrivedVia, trigger: hook.trigger,
                                                   auditCap: records.auditBodyCap)
                table = (Int32(tableIndex.count), decisions.rules.contains(where: \.post))
                tableIndex[cacheKey] = table
                for rule in decisions.rules {
                    rules.sets.append(table.set); rules.keys.append(rule.statusKey); rules.post.append(rule.post)
                    rules.messages.append(rule.message)
                }
            }
            ruleSet.append(table.set)
            sourceKeys.append(request.incrementId)
            channels.append(request.arrivedVia.rawValue)
            events.append(request.event.rawValue)
            dedupKeys.append(OrderPosting.dedupKey(tenant: hook.tenant, incrementId: request.incrementId))
            payloads.append(table.posts ? String(decoding: try encoder.encode(request), as: UTF8.self) : nil)
        }
        let stamp = queue.stamp(kind)
        let resolveStamp = queue.stamp(Self.resolveKind)
        let rows = try conn.queryCached(Self.batchStoreSQL, [
            .binaryArray(texts: hooks.map(\.tenant)), .binaryArray(texts: sourceKeys), .binaryArray(texts: channels),
            .binaryArray(texts: events), .binaryArray(ints: ruleSet),
            .text(kind), stamp.maxAttempts.postgresValue, stamp.usesGP.postgresValue,
            .binaryArray(texts: dedupKeys), .binaryArray(texts: payloads), .binaryArray(texts: hooks.map(\.eventName)),
            .binaryArray(byteas: hooks.map(\.body)), .binaryArray(bools: hooks.map(\.signatureOK)),
            .binaryArray(ints: rules.sets), .binaryArray(texts: rules.keys), .binaryArray(bools: rules.post),
            .binaryArray(texts: rules.messages),
            queue.defaultMaxParallelGPCalls.postgresValue, .text(queue.channel), .text(RecordEntity.order.rawValue),
            .text(Self.resolveKind), resolveStamp.maxAttempts.postgresValue, resolveStamp.usesGP.postgresValue,
        ])
        var stored = [Result<BatchStored, any Error>](
            repeating: .failure(PostgresError(.queryFailed, "webhook batch committed but returned no row for this hook")),
            count: hooks.count)
        for row in rows {
            guard let n = (try? row.decode("n", as: Int64.self)).map({ Int($0) - 1 }), hooks.indices.contains(n) else { continue }
            stored[n] = Result {
                try Self.readStored(row, hooks[n], dedupKey: dedupKeys[n], payload: payloads[n])
            }
        }
        return stored
    }

    /// One hook's answer from its row of `batchStoreSQL`.
    private static func readStored(_ row: Row, _ hook: Arrival, dedupKey: String?, payload: String?) throws -> BatchStored {
        var decision: Decision?
        if let request = hook.request {
            let key: String = try row.decode("status_key")
            switch OrderPosting.intakeAction(for: request.event, trigger: hook.trigger,
                                             status: key.isEmpty ? nil : RecordStatus(rawValue: key)) {
            case .post:
                // A table that posts always had the payload encoded.
                guard let dedupKey, let payload else {
                    throw PostgresError(.queryFailed, "webhook batch posted a hook without its payload")
                }
                decision = .enqueue(dedupKey: dedupKey, payload: payload)
            case .noteOnly(let reason): decision = .noted(reason: reason)
            }
        }
        return BatchStored(decision: decision, recordID: try row.decode("record_id"), jobInserted: try row.decode("job_inserted"))
    }

    /// One row of a decision table: a record status key ("" = no record yet) and whether the
    /// event posts at that status, or only notes with this (redacted, capped) audit message.
    struct DecisionRule: Sendable {
        let statusKey: String
        let post: Bool
        let message: String?
    }
}
