import Commerce
import Foundation
import GP
import Postgres

/// The `post_order` / `post_invoice` step for one order: everything between "an event about order
/// N arrived" and "GP holds exactly one document for it", recorded on the order's record.
///
/// 1. Note the arrival (channel, event) on the record `(tenant, order, increment_id)`.
/// 2. Only the tenant's trigger event posts (`OrderPosting.action`); a posted record never posts again.
/// 3. Read the order (and the invoice) from Commerce: the hook is a hint. Not there yet → retry
///    until `orderWaitSeconds` after the record appeared, then `abandoned`.
/// 4. Resolve the GP customer, map amounts (`OrderPosting.plan`); a reason to stop parks the record.
/// 5. Create the GP document. A duplicate-number answer reads GP's document back and decides with
///    `DuplicateResolution`: ours → posted; anything else → conflict. Permanent GP errors park with
///    GP's reason (`ParkReason.from`); transient ones retry with backoff.
///
/// A session advisory lock on the record keeps two workers (or a replay racing a retry) from
/// posting the same order at once; GP's unique document number is the second line of defence.
public struct OrderPostingRun {
    public let tenant: String
    public let settings: PostingSettings
    public let source: any SalesSource
    public let poster: any ReceivablesPoster
    public let records: RecordStore
    public var jobID: Int64?

    public init(tenant: String, settings: PostingSettings, source: any SalesSource, poster: any ReceivablesPoster,
                records: RecordStore = RecordStore(), jobID: Int64? = nil) {
        self.tenant = tenant
        self.settings = settings
        self.source = source
        self.poster = poster
        self.records = records
        self.jobID = jobID
    }

    /// What arrived: the order's increment id, which event, how, and (for an invoice) its id.
    public struct Request: Sendable, Equatable, Codable {
        public var incrementId: String
        public var event: SalesEvent
        public var arrivedVia: ArrivalChannel
        public var invoiceId: Int?

        public init(incrementId: String, event: SalesEvent, arrivedVia: ArrivalChannel, invoiceId: Int? = nil) {
            self.incrementId = incrementId
            self.event = event
            self.arrivedVia = arrivedVia
            self.invoiceId = invoiceId
        }
    }

    public func run(_ conn: Connection, _ request: Request, now: Date = Date()) throws -> PostingOutcome {
        let key = RecordKey(tenant: tenant, entity: .order, sourceKey: request.incrementId)
        let noted = try records.noteArrival(conn, key, via: request.arrivedVia, event: request.event.rawValue)
        let recordID = noted.record.id
        guard try conn.query("SELECT pg_try_advisory_lock($1::int, $2::int)", Self.lockSpace,
                             Int32(truncatingIfNeeded: recordID))[0].decode(0, as: Bool.self) else {
            return .retry(RecordError(code: "record_busy", message: "Another worker is posting order \(request.incrementId)."), after: 5)
        }
        defer { _ = try? conn.query("SELECT pg_advisory_unlock($1::int, $2::int)", Self.lockSpace, Int32(truncatingIfNeeded: recordID)) }
        // Re-read under the lock: a worker that just finished may have posted it.
        let record = try records.record(conn, id: recordID) ?? noted.record
        let step = Step(run: self, conn: conn, record: record, request: request, now: now)
        return try step.execute()
    }

    /// Advisory lock namespace of order records (first key of the two-int form).
    static let lockSpace: Int32 = 0x6F72_6470  // "ordp"
}

/// One execution, with the record it works on.
struct Step {
    let run: OrderPostingRun
    let conn: Connection
    let record: SyncRecord
    let request: OrderPostingRun.Request
    let now: Date

    var settings: PostingSettings { run.settings }

    func execute() throws -> PostingOutcome {
        if case .noteOnly(let reason) = OrderPosting.action(for: request.event, trigger: settings.trigger, status: record.status) {
            try audit(.decision("event_noted", "\(request.event.rawValue) via \(request.arrivedVia.rawValue): \(reason)"))
            return .noted(reason: reason)
        }
        let document: SalesDocument
        switch try fetch() {
        case .document(let d): document = d
        case .ended(let outcome): return outcome
        }
        let attribute: String?
        do {
            attribute = try document.customerId.flatMap {
                try run.source.customerAttribute(customerId: $0, attributeCode: settings.gpIdAttributeCode)
            }
        } catch { return try commerceFailure(error) }
        let emailMapping = try document.customerEmail.flatMap {
            try run.records.record(conn, tenant: run.tenant, entity: .customer, matchKey: $0.lowercased())?.sourceKey
        }
        let plan: PostingPlan
        switch OrderPosting.plan(document, commerceAttribute: attribute, emailMapping: emailMapping, settings: settings,
                                 today: GPDate(now)) {
        case .success(let p): plan = p
        case .failure(let reason): return try park(reason)
        }
        try audit(.decision("customer_resolved", "GP customer \(plan.customer.customerId) (by \(plan.customer.source.rawValue))."))
        return try post(plan.invoice, functionalCurrency: settings.functionalCurrency ?? document.orderCurrency ?? document.baseCurrency)
    }

    enum Fetched {
        case document(SalesDocument)
        case ended(PostingOutcome)
    }

    /// The Commerce document that posts, or how this run ends without one.
    func fetch() throws -> Fetched {
        let order: CommerceOrder?
        var invoice: CommerceInvoice?
        do {
            order = try run.source.order(incrementId: request.incrementId)
            if let order, settings.trigger == .invoiceCaptured {
                invoice = try request.invoiceId.flatMap { try run.source.invoice(id: $0) }
                    ?? run.source.invoices(orderId: order.entityId).first
            }
        } catch {
            return .ended(try commerceFailure(error))
        }
        guard let order else { return .ended(try notVisible("Order \(request.incrementId) is not in Commerce yet.")) }
        guard settings.trigger == .invoiceCaptured else { return .document(SalesDocument(order: order)) }
        guard let invoice else {
            return .ended(try notVisible("Order \(request.incrementId) has no invoice in Commerce yet."))
        }
        return .document(SalesDocument(invoice: invoice, order: order))
    }

    /// Retry while the order may still appear; abandon after the wait.
    func notVisible(_ message: String) throws -> PostingOutcome {
        if now.timeIntervalSince(record.createdAt) >= Double(settings.orderWaitSeconds) {
            let reason = ParkReason.orderNeverAppeared(incrementId: request.incrementId)
            _ = try run.records.transition(conn, id: record.id, to: .abandoned, error: RecordError(reason), countAttempt: true)
            try audit(.decision("abandoned", reason.message))
            return .abandoned
        }
        return try retry(RecordError(code: "order_not_visible", message: message), after: nil)
    }

    func post(_ invoice: ReceivablesInvoice, functionalCurrency: String?) throws -> PostingOutcome {
        let started = Date()
        let created: Result<Void, GPError>
        do throws(GPError) {
            try run.poster.create(invoice)
            created = .success(())
        } catch {
            created = .failure(error)
        }
        switch created {
        case .success:
            try auditCall(invoice, started: started, message: "created")
            _ = try run.records.transition(conn, id: record.id, to: .posted, targetKey: invoice.documentNumber, countAttempt: true)
            try audit(.decision("posted", "GP document \(invoice.documentNumber) for \(invoice.documentAmount) posted to batch \(invoice.batchId)."))
            return .posted(documentNumber: invoice.documentNumber)
        case .failure(.duplicateDocument):
            try auditCall(invoice, started: started, message: "duplicate document number")
            let existing: Result<ReceivablesInvoice?, GPError>
            do throws(GPError) { existing = .success(try run.poster.document(number: invoice.documentNumber)) } catch {
                existing = .failure(error)
            }
            let found: ReceivablesInvoice?
            switch existing {
            case .success(let document): found = document
            case .failure(let error): return try gpFailure(error, invoice)
            }
            switch DuplicateResolution.decide(intended: invoice, existing: found, functionalCurrency: functionalCurrency) {
            case .alreadyPosted:
                _ = try run.records.transition(conn, id: record.id, to: .posted, targetKey: invoice.documentNumber, countAttempt: true)
                try audit(.decision("already_posted", "GP already held document \(invoice.documentNumber) with the same customer and amount: our earlier attempt."))
                return .alreadyPosted(documentNumber: invoice.documentNumber)
            case .conflict(let why):
                return try park(.duplicateConflict(documentNumber: invoice.documentNumber, detail: why))
            }
        case .failure(let error):
            try auditCall(invoice, started: started, message: error.code)
            return try gpFailure(error, invoice)
        }
    }

    func gpFailure(_ error: GPError, _ invoice: ReceivablesInvoice) throws -> PostingOutcome {
        if let reason = ParkReason.from(error, documentDate: invoice.documentDate.description) { return try park(reason) }
        return try retry(RecordError(code: error.code, message: error.message, fix: error.suggestedFix), after: nil)
    }

    func commerceFailure(_ error: any Error) throws -> PostingOutcome {
        guard let error = error as? CommerceError else {
            return try retry(RecordError(code: "commerce_failed", message: "\(error)"), after: nil)
        }
        if error.isRetryable { return try retry(RecordError(code: error.code, message: error.message), after: error.retryAfter) }
        return try park(.commerceRefused(code: error.code, message: error.message))
    }

    func park(_ reason: ParkReason) throws -> PostingOutcome {
        _ = try run.records.transition(conn, id: record.id, to: reason.status, error: RecordError(reason), countAttempt: true)
        try audit(.decision("parked", "\(reason.message) \(reason.suggestedFix)"))
        return .parked(reason)
    }

    func retry(_ error: RecordError, after: Double?) throws -> PostingOutcome {
        _ = try run.records.transition(conn, id: record.id, to: .failed, error: error, countAttempt: true)
        try audit(.decision("will_retry", error.message))
        return .retry(error, after: after)
    }

    func audit(_ entry: AuditEntry) throws {
        var entry = entry
        entry.jobID = run.jobID
        try run.records.appendAudit(conn, recordID: record.id, tenant: run.tenant, entry)
    }

    /// The document as sent (GP's field names), for the trail; the URL and status come from the
    /// GP client's own call log when the job wires it.
    func auditCall(_ invoice: ReceivablesInvoice, started: Date, message: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = (try? encoder.encode(invoice)).map { String(decoding: $0, as: UTF8.self) }
        try audit(.call("gp", method: "POST", url: "receivables/transactions", status: nil,
                        durationMs: Int(Date().timeIntervalSince(started) * 1000), requestBody: body, message: message))
    }
}
