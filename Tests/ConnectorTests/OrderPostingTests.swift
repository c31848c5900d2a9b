import Connector
import Foundation
import GP
import Testing

@Suite struct OrderPostingTests {
    struct TriggerCase: Sendable, CustomTestStringConvertible {
        var event: SalesEvent
        var trigger: PostingTrigger
        var status: RecordStatus?
        var posts: Bool
        var testDescription: String { "\(event.rawValue) with trigger \(trigger.rawValue), record \(status?.rawValue ?? "new")" }
    }

    static let triggerCases: [TriggerCase] = [
        TriggerCase(event: .invoiceCaptured, trigger: .invoiceCaptured, status: nil, posts: true),
        TriggerCase(event: .orderPlaced, trigger: .invoiceCaptured, status: nil, posts: false),
        TriggerCase(event: .orderPlaced, trigger: .orderPlaced, status: .pending, posts: true),
        TriggerCase(event: .invoiceCaptured, trigger: .orderPlaced, status: .posted, posts: false),
        TriggerCase(event: .invoiceCaptured, trigger: .orderPlaced, status: .pending, posts: false),
        TriggerCase(event: .invoiceCaptured, trigger: .invoiceCaptured, status: .posted, posts: false),
        TriggerCase(event: .invoiceCaptured, trigger: .invoiceCaptured, status: .needsAttention, posts: true),
        TriggerCase(event: .invoiceCaptured, trigger: .invoiceCaptured, status: .failed, posts: true),
        TriggerCase(event: .invoiceCaptured, trigger: .invoiceCaptured, status: .conflict, posts: false),
    ]

    @Test("only the tenant's trigger event posts, once", arguments: triggerCases)
    func triggerDecides(_ c: TriggerCase) {
        let action = OrderPosting.action(for: c.event, trigger: c.trigger, status: c.status)
        if c.posts {
            #expect(action == .post)
        } else if case .noteOnly(let reason) = action {
            #expect(!reason.isEmpty)
        } else {
            Issue.record("expected noteOnly, got \(action)")
        }
    }

    @Test func anArrivingEventLeavesAParkedOrderParkedButTheJobItselfStillPostsOnReplay() {
        // Intake (webhook, backstop poll): parked waits for a person, whatever the event.
        for trigger in [PostingTrigger.invoiceCaptured, .orderPlaced] {
            for event in [SalesEvent.invoiceCaptured, .orderPlaced] {
                guard case .noteOnly = OrderPosting.intakeAction(for: event, trigger: trigger, status: .needsAttention) else {
                    Issue.record("a parked order re-posted on \(event.rawValue) with trigger \(trigger.rawValue)"); continue
                }
            }
        }
        // The posting job (what a replay runs) still posts it.
        #expect(OrderPosting.action(for: .invoiceCaptured, trigger: .invoiceCaptured, status: .needsAttention) == .post)
        // Everything else is `action`'s decision.
        for c in Self.triggerCases where c.status != .needsAttention {
            #expect(OrderPosting.intakeAction(for: c.event, trigger: c.trigger, status: c.status)
                    == OrderPosting.action(for: c.event, trigger: c.trigger, status: c.status))
        }
    }

    @Test func theDefaultTriggerIsInvoiceCaptured() throws {
        #expect(PostingSettings().trigger == .invoiceCaptured)
        let s = try JSONDecoder().decode(PostingSettings.self, from: Data(#"{"posting_trigger":"order_placed","guest_customer_id":"GUEST"}"#.utf8))
        #expect(s.trigger == .orderPlaced)
        #expect(s.guestCustomerId == "GUEST")
        #expect(s.documentPrefix == "WEB")
    }

    struct ResolutionCase: Sendable, CustomTestStringConvertible {
        var name: String
        var attribute: String?
        var email: String?
        var guest: String?
        var expected: ResolvedCustomer?
        var parkCode: String?
        var testDescription: String { name }
    }

    static let resolutionCases: [ResolutionCase] = [
        ResolutionCase(name: "GP id on the Commerce customer wins", attribute: " AARON ", email: "E1", guest: "GUEST",
                       expected: ResolvedCustomer(customerId: "AARON", source: .commerceAttribute)),
        ResolutionCase(name: "then the e-mail mapping", attribute: "", email: "E1", guest: "GUEST",
                       expected: ResolvedCustomer(customerId: "E1", source: .emailMapping)),
        ResolutionCase(name: "then the guest customer", attribute: nil, email: nil, guest: "GUEST",
                       expected: ResolvedCustomer(customerId: "GUEST", source: .guest)),
        ResolutionCase(name: "no guest parks", attribute: nil, email: nil, guest: nil, parkCode: "no_guest_customer"),
        ResolutionCase(name: "an id GP cannot hold parks", attribute: "SIXTEEN-CHARS-ID", email: "E1", guest: "GUEST",
                       parkCode: "customer_id_too_long"),
    ]

    @Test("customer resolution", arguments: resolutionCases)
    func resolvesCustomer(_ c: ResolutionCase) {
        switch CustomerResolution.resolve(commerceAttribute: c.attribute, emailMapping: c.email, guestCustomerId: c.guest,
                                          email: "Buyer@Example.com") {
        case .success(let r): #expect(r == c.expected)
        case .failure(let reason):
            #expect(reason.code == c.parkCode)
            if case .noGuestCustomer(let email) = reason { #expect(email == "buyer@example.com") }
        }
    }

    @Test func aPlanCombinesResolutionAndMapping() throws {
        let doc = SalesDocument(kind: .order, orderIncrementId: "100", incrementId: "100", customerEmail: "x@y.example",
                                isGuest: true, subtotal: 10, grandTotal: 10)
        var settings = PostingSettings()
        let parked = OrderPosting.plan(doc, commerceAttribute: nil, emailMapping: nil, settings: settings,
                                       today: GPDate(year: 2026, month: 1, day: 2)!)
        #expect(parked == .failure(.noGuestCustomer(email: "x@y.example")))
        settings.guestCustomerId = "GUEST"
        let plan = try OrderPosting.plan(doc, commerceAttribute: nil, emailMapping: nil, settings: settings,
                                         today: GPDate(year: 2026, month: 1, day: 2)!).get()
        #expect(plan.customer.source == .guest)
        #expect(plan.invoice.customerId == "GUEST")
        #expect(plan.invoice.batchId == "WEB260102")
        #expect(OrderPosting.dedupKey(tenant: "acme", incrementId: "100") == "order:acme:100")
    }

    static let intended = ReceivablesInvoice(documentNumber: "WEB100", customerId: "AARON", batchId: "WEB260101",
                                             documentDate: GPDate(year: 2026, month: 1, day: 1)!, salesAmount: 90,
                                             freightAmount: 5, taxAmount: 5, currencyId: nil)

    @Test func aDuplicateThatMatchesIsOurEarlierAttempt() {
        var existing = Self.intended
        existing.customerId = "aaron   "
        existing.batchId = "OTHER"
        #expect(DuplicateResolution.decide(intended: Self.intended, existing: existing) == .alreadyPosted)
        existing.currencyId = "USD"
        #expect(DuplicateResolution.decide(intended: Self.intended, existing: existing, functionalCurrency: "USD") == .alreadyPosted)
    }

    @Test(arguments: [
        ("customer", "customer BOB instead of AARON"), ("amount", "amount 101 instead of 100"),
        ("currency", "currency EUR instead of"), ("missing", "could not be read back"),
    ])
    func aDuplicateThatDiffersIsAConflictNeverASuccess(_ t: (String, String)) {
        var existing: ReceivablesInvoice? = Self.intended
        switch t.0 {
        case "customer": existing?.customerId = "BOB"
        case "amount": existing?.documentAmount = 101
        case "currency": existing?.currencyId = "EUR"
        default: existing = nil
        }
        guard case .conflict(let reason) = DuplicateResolution.decide(intended: Self.intended, existing: existing) else {
            Issue.record("expected a conflict"); return
        }
        #expect(reason.contains(t.1), "\(reason)")
    }
}
