import Commerce
import Connector
import Foundation
import GP
import Postgres
import Testing

@Suite(.serialized) struct OrderPostingRunTests {
    static func settings(_ edit: (inout PostingSettings) -> Void = { _ in }) -> PostingSettings {
        var s = PostingSettings()
        s.guestCustomerId = "GUEST"
        edit(&s)
        return s
    }

    func runner(_ sales: MemorySales, _ gp: MemoryGP, _ settings: PostingSettings = OrderPostingRunTests.settings()) -> OrderPostingRun {
        OrderPostingRun(tenant: "acme", settings: settings, source: sales, poster: gp)
    }

    func record(_ conn: Connection, _ increment: String) throws -> SyncRecord? {
        try RecordStore().record(conn, RecordKey(tenant: "acme", entity: .order, sourceKey: increment))
    }

    @Test func onlyTheTriggerEventPostsAndEveryLaterEventIsNoted() throws {
        let conn = try FlowsDatabase.connection("posting_trigger")
        let sales = MemorySales(), gp = MemoryGP()
        sales.add("000000100", entityId: 1)
        let r = runner(sales, gp)
        let placed = try r.run(conn, .init(incrementId: "000000100", event: .orderPlaced, arrivedVia: .webhook))
        guard case .noted = placed else { Issue.record("\(placed)"); return }
        #expect(gp.creates == 0)
        #expect(try r.run(conn, .init(incrementId: "000000100", event: .invoiceCaptured, arrivedVia: .poll))
                == .posted(documentNumber: "WEB000000100"))
        let again = try r.run(conn, .init(incrementId: "000000100", event: .invoiceCaptured, arrivedVia: .webhook))
        guard case .noted = again else { Issue.record("\(again)"); return }
        #expect(gp.creates == 1 && gp.documents.count == 1)
        let doc = try #require(gp.documents["WEB000000100"])
        #expect(doc.customerId == "GUEST" && doc.documentAmount == 100 && doc.salesAmount == 90)
        #expect(doc.documentDate == GPDate(year: 2026, month: 11, day: 21))  // the invoice's date
        let rec = try #require(try record(conn, "000000100"))
        #expect(rec.status == .posted && rec.targetKey == "WEB000000100" && rec.arrivedVia == .both)
        #expect(rec.events == ["order_placed", "invoice_captured"])
        let trail = try RecordStore().auditTrail(conn, recordID: rec.id).map(\.code)
        #expect(trail == ["event_noted", "customer_resolved", "gp", "posted", "event_noted"])
    }

    @Test func aLostAnswerIsRetriedAndFoundAsOurOwnDocument() throws {
        let conn = try FlowsDatabase.connection("posting_lost")
        let sales = MemorySales(), gp = MemoryGP()
        sales.add("200", entityId: 2)
        gp.loseAnswer = true
        let r = runner(sales, gp, Self.settings { $0.trigger = .orderPlaced })
        let first = try r.run(conn, .init(incrementId: "200", event: .orderPlaced, arrivedVia: .webhook))
        guard case .retry(let error, _) = first else { Issue.record("\(first)"); return }
        #expect(error.code == "gp_timeout")
        #expect(try record(conn, "200")?.status == .failed)
        gp.loseAnswer = false
        #expect(try r.run(conn, .init(incrementId: "200", event: .orderPlaced, arrivedVia: .webhook))
                == .alreadyPosted(documentNumber: "WEB200"))
        #expect(gp.documents.count == 1 && gp.creates == 2)
        #expect(try record(conn, "200")?.status == .posted)
    }

    @Test func someoneElsesDocumentUnderOurNumberIsAConflict() throws {
        let conn = try FlowsDatabase.connection("posting_conflict")
        let sales = MemorySales(), gp = MemoryGP()
        sales.add("300", entityId: 3)
        gp.documents["WEB300"] = ReceivablesInvoice(documentNumber: "WEB300", customerId: "SOMEONE", batchId: "B",
                                                    documentDate: GPDate(year: 2026, month: 1, day: 1)!, salesAmount: 42)
        let outcome = try runner(sales, gp).run(conn, .init(incrementId: "300", event: .invoiceCaptured, arrivedVia: .webhook))
        guard case .parked(.duplicateConflict(_, let detail)) = outcome else { Issue.record("\(outcome)"); return }
        #expect(detail.contains("SOMEONE"))
        let rec = try #require(try record(conn, "300"))
        #expect(rec.status == .conflict && rec.lastError?.code == "duplicate_conflict")
        #expect(gp.documents["WEB300"]?.customerId == "SOMEONE")
        // A conflict is not retried by a later event.
        guard case .noted = try runner(sales, gp).run(conn, .init(incrementId: "300", event: .invoiceCaptured, arrivedVia: .poll)) else {
            Issue.record("conflict was retried"); return
        }
    }

    @Test func aCustomerOnHoldParksAndAReplayAfterTheFixPosts() throws {
        let conn = try FlowsDatabase.connection("posting_hold")
        let sales = MemorySales(), gp = MemoryGP()
        sales.add("400", entityId: 4, customerId: 12)
        sales.attributes[12] = "AARONFIT0001"
        gp.onHold = ["AARONFIT0001"]
        let r = runner(sales, gp)
        let parked = try r.run(conn, .init(incrementId: "400", event: .invoiceCaptured, arrivedVia: .webhook))
        #expect(parked == .parked(.customerOnHold(customerId: "AARONFIT0001")))
        let rec = try #require(try record(conn, "400"))
        #expect(rec.status == .needsAttention && rec.lastError?.fix?.contains("hold") == true)
        gp.onHold = []
        #expect(try r.run(conn, .init(incrementId: "400", event: .invoiceCaptured, arrivedVia: .webhook))
                == .posted(documentNumber: "WEB400"))
        #expect(gp.documents["WEB400"]?.customerId == "AARONFIT0001")
    }

    @Test func customersResolveByTheEmailMappingAndWithoutAGuestTheOrderParks() throws {
        let conn = try FlowsDatabase.connection("posting_customer")
        let sales = MemorySales(), gp = MemoryGP()
        sales.add("500", entityId: 5, email: "Known@Example.com")
        sales.add("501", entityId: 6, email: "stranger@example.com")
        _ = try RecordStore().upsert(conn, RecordKey(tenant: "acme", entity: .customer, sourceKey: "KNOWN0001"), status: .synced,
                                     targetKey: "77", contentHash: "h", matchKey: "known@example.com")
        let r = runner(sales, gp, Self.settings { $0.guestCustomerId = nil })
        #expect(try r.run(conn, .init(incrementId: "500", event: .invoiceCaptured, arrivedVia: .webhook))
                == .posted(documentNumber: "WEB500"))
        #expect(gp.documents["WEB500"]?.customerId == "KNOWN0001")
        #expect(try r.run(conn, .init(incrementId: "501", event: .invoiceCaptured, arrivedVia: .webhook))
                == .parked(.noGuestCustomer(email: "stranger@example.com")))
    }

    @Test func anOrderThatNeverAppearsIsRetriedThenAbandoned() throws {
        let conn = try FlowsDatabase.connection("posting_missing")
        let sales = MemorySales(), gp = MemoryGP()
        let r = runner(sales, gp, Self.settings { $0.trigger = .orderPlaced; $0.orderWaitSeconds = 600 })
        let request = OrderPostingRun.Request(incrementId: "600", event: .orderPlaced, arrivedVia: .webhook)
        guard case .retry(let error, _) = try r.run(conn, request) else { Issue.record("expected a retry"); return }
        #expect(error.code == "order_not_visible")
        #expect(try r.run(conn, request, now: Date().addingTimeInterval(601)) == .abandoned)
        #expect(try record(conn, "600")?.status == .abandoned)
        #expect(gp.creates == 0)
    }

    @Test func commerceRateLimitingRetriesAfterItsDelayAndRefusalParks() throws {
        let conn = try FlowsDatabase.connection("posting_commerce")
        let sales = MemorySales(), gp = MemoryGP()
        sales.failure = .rateLimited(retryAfter: 7)
        let r = runner(sales, gp)
        let request = OrderPostingRun.Request(incrementId: "700", event: .invoiceCaptured, arrivedVia: .webhook)
        guard case .retry(let error, let after) = try r.run(conn, request) else { Issue.record("expected a retry"); return }
        #expect(error.code == "commerce_rate_limited" && after == 7)
        sales.failure = .unauthorized(message: "The consumer isn't authorized")
        guard case .parked(let reason) = try r.run(conn, request) else { Issue.record("expected parking"); return }
        #expect(reason.code == "commerce_unauthorized")
    }

    @Test func transientGPErrorsRetryAndPermanentOnesParkWithoutBurningRetries() throws {
        let conn = try FlowsDatabase.connection("posting_gp_errors")
        let sales = MemorySales(), gp = MemoryGP()
        sales.add("800", entityId: 8)
        gp.failNext = [.serviceUnavailable(status: 503, serverMessage: ""), .fiscalPeriodClosed(serverMessage: "Period closed")]
        let r = runner(sales, gp)
        let request = OrderPostingRun.Request(incrementId: "800", event: .invoiceCaptured, arrivedVia: .webhook)
        guard case .retry = try r.run(conn, request) else { Issue.record("expected a retry"); return }
        guard case .parked(.fiscalPeriodClosed(let date, _)) = try r.run(conn, request) else { Issue.record("expected parking"); return }
        #expect(date == "2026-11-21")
        #expect(try record(conn, "800")?.attempts == 2)
        #expect(try r.run(conn, request) == .posted(documentNumber: "WEB800"))
    }

    @Test func anotherWorkerPostingTheSameOrderMakesThisOneWait() throws {
        let conninfo = try FlowsDatabase.connectionInfo("posting_lock")
        let conn = try Connection(conninfo), other = try Connection(conninfo)
        let sales = MemorySales(), gp = MemoryGP()
        sales.add("900", entityId: 9)
        let id = try RecordStore().noteArrival(conn, RecordKey(tenant: "acme", entity: .order, sourceKey: "900"), via: .webhook).record.id
        try other.execute("SELECT pg_advisory_lock($1::int, $2::int)", Int32(0x6F72_6470), Int32(id))
        guard case .retry(let error, _) = try runner(sales, gp).run(conn, .init(incrementId: "900", event: .invoiceCaptured, arrivedVia: .poll)) else {
            Issue.record("expected a retry"); return
        }
        #expect(error.code == "record_busy" && gp.creates == 0)
        try other.execute("SELECT pg_advisory_unlock($1::int, $2::int)", Int32(0x6F72_6470), Int32(id))
        #expect(try runner(sales, gp).run(conn, .init(incrementId: "900", event: .invoiceCaptured, arrivedVia: .poll))
                == .posted(documentNumber: "WEB900"))
    }
}
