import Connector
import Foundation
import Postgres
import Testing

@Suite(.serialized) struct RecordStoreTests {
    let store = RecordStore(auditBodyCap: 256)

    @Test func upsertReportsInsertAndWhetherTheContentChanged() throws {
        let conn = try FlowsDatabase.connection("records_upsert")
        let key = RecordKey(tenant: "acme", entity: .item, sourceKey: "WIDGET-1")
        let first = try store.upsert(conn, key, status: .synced, targetKey: "WIDGET-1", contentHash: "h1")
        #expect(first.inserted && first.contentChanged)
        let same = try store.upsert(conn, key, status: .synced, contentHash: "h1")
        #expect(!same.inserted && !same.contentChanged)
        #expect(same.record.id == first.record.id)
        #expect(same.record.targetKey == "WIDGET-1")  // nil keeps the stored target
        let changed = try store.upsert(conn, key, status: .synced, contentHash: "h2")
        #expect(changed.contentChanged)
        let other = try store.upsert(conn, RecordKey(tenant: "other", entity: .item, sourceKey: "WIDGET-1"), status: .pending)
        #expect(other.inserted && !other.contentChanged)
        #expect(other.record.id != first.record.id)
    }

    @Test func aBatchOfWritesIsRecordedLikeOneUpsertAndOneDecisionEach() throws {
        let conn = try FlowsDatabase.connection("records_batch")
        let failed = RecordKey(tenant: "acme", entity: .item, sourceKey: "B")
        _ = try store.upsert(conn, failed, status: .failed, error: RecordError(code: "commerce_400", message: "bad"))
        let rows = ["A", "B"].map {
            WrittenRecord(sourceKey: $0, targetKey: "SKU-\($0)", contentHash: "h-\($0)", auditCode: "product_created",
                          auditMessage: "Wrote product SKU-\($0) to Commerce.")
        }
        try store.recordWritten(conn, tenant: "acme", entity: .item, rows, jobID: 7)
        for key in ["A", "B"] {
            let record = try #require(try store.record(conn, RecordKey(tenant: "acme", entity: .item, sourceKey: key)))
            #expect(record.status == .synced && record.targetKey == "SKU-\(key)" && record.contentHash == "h-\(key)")
            #expect(record.lastError == nil)
            let trail = try store.auditTrail(conn, recordID: record.id)
            #expect(trail.map(\.code) == ["product_created"] && trail.first?.jobID == 7)
        }
        // Repeated keys in one batch fall back to one upsert each (the last write wins).
        try store.recordWritten(conn, tenant: "acme", entity: .item, [rows[0], WrittenRecord(
            sourceKey: "A", targetKey: "SKU-A", contentHash: "h-A2", auditCode: "product_updated", auditMessage: "again")], jobID: nil)
        #expect(try store.record(conn, RecordKey(tenant: "acme", entity: .item, sourceKey: "A"))?.contentHash == "h-A2")
    }

    @Test func arrivalsMergeChannelsAndEventsOnOneRecord() throws {
        let conn = try FlowsDatabase.connection("records_arrival")
        let key = RecordKey(tenant: "acme", entity: .order, sourceKey: "000000123")
        let hook = try store.noteArrival(conn, key, via: .webhook, event: "order_placed")
        #expect(hook.inserted && hook.record.status == .pending && hook.record.arrivedVia == .webhook)
        let again = try store.noteArrival(conn, key, via: .webhook, event: "order_placed")
        #expect(!again.inserted && again.record.events == ["order_placed"])
        let poll = try store.noteArrival(conn, key, via: .poll, event: "invoice_captured")
        #expect(poll.record.arrivedVia == .both)
        #expect(poll.record.events == ["order_placed", "invoice_captured"])
        #expect(poll.record.id == hook.record.id)
        _ = try store.noteArrival(conn, RecordKey(tenant: "acme", entity: .order, sourceKey: "000000124"), via: .poll)
        _ = try store.noteArrival(conn, RecordKey(tenant: "other", entity: .order, sourceKey: "000000125"), via: .poll)
        #expect(try store.countArrivedOnlyByPoll(conn, tenant: "acme", since: Date().addingTimeInterval(-86_400)) == 1)
        #expect(try store.countArrivedOnlyByPoll(conn, tenant: "acme", since: Date().addingTimeInterval(60)) == 0)
    }

    @Test func postedIsFinalForTransitionsAndUpserts() throws {
        let conn = try FlowsDatabase.connection("records_posted")
        let key = RecordKey(tenant: "acme", entity: .order, sourceKey: "100")
        let id = try store.noteArrival(conn, key, via: .webhook).record.id
        let parked = try #require(try store.transition(conn, id: id, to: .needsAttention,
                                                       error: RecordError(.customerOnHold(customerId: "AARON")), countAttempt: true))
        #expect(parked.lastError?.code == "customer_on_hold")
        #expect(parked.lastError?.fix?.isEmpty == false)
        #expect(parked.attempts == 1)
        let posted = try #require(try store.transition(conn, id: id, to: .posted, targetKey: "WEB100", countAttempt: true))
        #expect(posted.status == .posted && posted.lastError == nil && posted.targetKey == "WEB100" && posted.attempts == 2)
        #expect(try store.transition(conn, id: id, to: .failed, error: RecordError(code: "x", message: "y")) == nil)
        #expect(try store.transition(conn, id: id, to: .pending) == nil)
        let upserted = try store.upsert(conn, key, status: .pending)
        #expect(upserted.record.status == .posted)
        #expect(try store.transition(conn, id: id, to: .posted)?.status == .posted)
    }

    @Test func transitionsCanRequireTheCurrentStatus() throws {
        let conn = try FlowsDatabase.connection("records_expect")
        let id = try store.noteArrival(conn, RecordKey(tenant: "acme", entity: .order, sourceKey: "1"), via: .poll).record.id
        #expect(try store.transition(conn, id: id, to: .failed, expecting: [.needsAttention]) == nil)
        #expect(try store.transition(conn, id: id, to: .failed, expecting: [.pending])?.status == .failed)
        #expect(try store.transition(conn, id: 999_999, to: .failed) == nil)
    }

    @Test func theLedgerRefusesASecondRowForOneKey() throws {
        let conn = try FlowsDatabase.connection("records_unique")
        try conn.execute("INSERT INTO records (tenant_id, entity, source_key) VALUES ('acme', 'order', '7')")
        #expect(throws: PostgresError.self) {
            try conn.execute("INSERT INTO records (tenant_id, entity, source_key) VALUES ('acme', 'order', '7')")
        }
    }

    @Test func storedContentReturnsAPagesHashesInOneQuery() throws {
        let conn = try FlowsDatabase.connection("records_content")
        for (sku, hash) in [("A", "ha"), ("B", "hb"), ("C,\"odd\"", "hc")] {
            _ = try store.upsert(conn, RecordKey(tenant: "acme", entity: .item, sourceKey: sku), status: .synced,
                                 targetKey: sku, contentHash: hash)
        }
        let found = try store.storedContent(conn, tenant: "acme", entity: .item, sourceKeys: ["A", "C,\"odd\"", "Z"])
        #expect(found.count == 2)
        #expect(found["A"]?.contentHash == "ha")
        #expect(found["C,\"odd\""]?.contentHash == "hc")
        #expect(found["Z"] == nil)
        #expect(try store.storedContent(conn, tenant: "acme", entity: .customer, sourceKeys: ["A"]).isEmpty)
    }

    @Test func customersAreFoundByTheirEmail() throws {
        let conn = try FlowsDatabase.connection("records_match")
        _ = try store.upsert(conn, RecordKey(tenant: "acme", entity: .customer, sourceKey: "AARON"), status: .synced,
                             targetKey: "12", contentHash: "h", matchKey: "buyer@example.com")
        let found = try store.record(conn, tenant: "acme", entity: .customer, matchKey: "buyer@example.com")
        #expect(found?.sourceKey == "AARON")
        #expect(try store.record(conn, tenant: "other", entity: .customer, matchKey: "buyer@example.com") == nil)
    }

    @Test func listingFiltersAndPagesWithACursor() throws {
        let conn = try FlowsDatabase.connection("records_list")
        for i in 1...7 {
            let status: RecordStatus = i % 2 == 0 ? .needsAttention : .posted
            _ = try store.upsert(conn, RecordKey(tenant: "acme", entity: .order, sourceKey: "10\(i)"), status: status,
                                 targetKey: "WEB10\(i)")
        }
        _ = try store.upsert(conn, RecordKey(tenant: "acme", entity: .item, sourceKey: "100%_OFF"), status: .synced)
        _ = try store.upsert(conn, RecordKey(tenant: "other", entity: .order, sourceKey: "101"), status: .posted)

        var seen: [String] = []
        var cursor: Int64?
        repeat {
            let page = try store.list(conn, RecordQuery(tenant: "acme", entity: .order, before: cursor, limit: 3))
            seen += page.records.map(\.sourceKey)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen == ["107", "106", "105", "104", "103", "102", "101"])

        let parked = try store.list(conn, RecordQuery(tenant: "acme", status: .needsAttention))
        #expect(parked.records.map(\.sourceKey) == ["106", "104", "102"])
        #expect(parked.nextCursor == nil)
        #expect(try store.list(conn, RecordQuery(tenant: "acme", text: "web105")).records.map(\.sourceKey) == ["105"])
        #expect(try store.list(conn, RecordQuery(tenant: "acme", text: "%_")).records.map(\.sourceKey) == ["100%_OFF"])
        #expect(try store.list(conn, RecordQuery(tenant: "nobody")).records.isEmpty)
    }

    @Test func theAuditTrailIsRedactedCappedAndInOrder() throws {
        let conn = try FlowsDatabase.connection("records_audit")
        let record = try store.upsert(conn, RecordKey(tenant: "acme", entity: .order, sourceKey: "100"), status: .pending).record
        try store.appendAudit(conn, recordID: record.id, tenant: "acme", .decision("matched_by_email", "Matched GP customer AARON by e-mail."))
        try store.appendAudit(conn, recordID: record.id, tenant: "acme", .call(
            "gp", method: "POST", url: "https://svc:hunter2@gp.example/Sales/Receivables/Transactions?token=abc",
            status: 201, durationMs: 42, requestBody: #"{"Payload":{"DocumentNumber":"WEB100","Password":"hunter2"}}"#,
            responseBody: String(repeating: "x", count: 1000), jobID: 9))
        let (loaded, trail) = try #require(try store.recordWithAudit(conn, id: record.id))
        #expect(loaded == record)
        #expect(trail.map(\.kind) == [.decision, .call])
        #expect(trail[0].code == "matched_by_email")
        let call = trail[1]
        #expect(call.method == "POST" && call.status == 201 && call.durationMs == 42 && call.jobID == 9)
        #expect(call.url == "https://***@gp.example/Sales/Receivables/Transactions?token=***")
        #expect(call.requestBody?.contains("hunter2") == false)
        #expect(call.requestBody?.contains("WEB100") == true)
        #expect(call.responseBody?.hasSuffix("…[truncated: 1000 bytes]") == true)
        #expect(try store.recordWithAudit(conn, id: 999_999) == nil)
    }
}

@Suite struct RecordJSONTests {
    @Test func aRecordAndItsTrailEncodeWithSnakeCaseKeys() throws {
        let conn = try FlowsDatabase.connection("records_json")
        let store = RecordStore()
        let record = try store.upsert(conn, RecordKey(tenant: "acme", entity: .order, sourceKey: "1"), status: .needsAttention,
                                      error: RecordError(.customerOnHold(customerId: "A"))).record
        try store.appendAudit(conn, recordID: record.id, tenant: "acme", .decision("parked", "on hold"))
        let (loaded, trail) = try #require(try store.recordWithAudit(conn, id: record.id))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let json = try JSONSerialization.jsonObject(with: encoder.encode(loaded)) as? [String: Any]
        #expect(json?["source_key"] as? String == "1")
        #expect(json?["status"] as? String == "needs_attention")
        #expect((json?["last_error"] as? [String: Any])?["code"] as? String == "customer_on_hold")
        let event = try JSONSerialization.jsonObject(with: encoder.encode(trail[0])) as? [String: Any]
        #expect(event?["kind"] as? String == "decision" && event?["record_id"] as? Int == Int(record.id))
    }
}
