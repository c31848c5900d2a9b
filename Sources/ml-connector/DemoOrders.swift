import Connector
import Foundation
import Postgres
import Queue
import Simulators

/// The demo's shoppers: a handful of orders placed and invoiced in the Commerce simulator, each
/// showing one path — plain, discounted, announced twice, in euros, for a customer on hold, and
/// one whose webhook never left Commerce.
struct DemoOrders {
    struct Placed {
        var label: String
        var incrementId: String
        var delivery: String
    }

    let commerce: CommerceSimulator
    let queue: JobQueue
    let conninfo: String
    let tenantID: String
    let webhookURL: String

    /// Whether the simulator's signed webhooks reach a receiver in this build (nil until tried).
    final class ReceiverState: @unchecked Sendable { var answered: Int?? = nil }
    let receiver = ReceiverState()

    func placeAll() throws -> [Placed] {
        var placed: [Placed] = []
        let lines = { (i: Int, qty: Double) in
            CommerceSimOrderLine(sku: DemoCatalog.sku(i), qty: qty, price: DemoCatalog.price(i))
        }
        placed.append(try place("plain order", email: DemoCatalog.email(0), lines: [lines(3, 2), lines(17, 1)],
                                shipping: 25, tax: 12.4))
        placed.append(try place("order with a discount", email: DemoCatalog.email(1), lines: [lines(42, 1)],
                                shipping: 15, tax: 6.1, discount: 20))
        var dup = try place("webhook delivered twice", email: DemoCatalog.email(2), lines: [lines(5, 4)], shipping: 30, tax: 9.99)
        dup.delivery += "; then the same invoice event again"
        try handOver(OrderPostingRun.Request(incrementId: dup.incrementId, event: .invoiceCaptured, arrivedVia: .webhook))
        placed.append(dup)
        placed.append(try place("euro customer (multicurrency)", email: DemoCatalog.euroEmail, lines: [lines(8, 1)],
                                currency: "EUR", shipping: 19, tax: 0))
        placed.append(try place("customer on credit hold in GP", email: DemoCatalog.onHoldEmail, lines: [lines(11, 2)],
                                shipping: 10, tax: 4.2))
        let hook = commerce.webhook
        commerce.webhook = nil
        defer { commerce.webhook = hook }
        var missed = try place("webhook never sent", email: DemoCatalog.email(3), lines: [lines(21, 1)], shipping: 12, tax: 3.3)
        missed.delivery = "no webhook: left for the backstop poll"
        placed.append(missed)
        return placed
    }

    func place(_ label: String, email: String, lines: [CommerceSimOrderLine], currency: String = "USD",
               shipping: Double, tax: Double, discount: Double = 0) throws -> Placed {
        let placement = commerce.placeOrder(email: email, lines: lines, currency: currency, shipping: shipping, tax: tax,
                                            discount: discount)
        guard let order = placement.order, let entity = order["entity_id"] as? Int,
              let increment = order["increment_id"] as? String else {
            throw DemoError("the Commerce simulator refused the order: \(placement.errorMessage ?? "no reason")")
        }
        var delivery = try deliver(placement.webhook, OrderPostingRun.Request(incrementId: increment, event: .orderPlaced,
                                                                              arrivedVia: .webhook))
        let invoiced = commerce.invoiceOrder(entityId: entity)
        let invoiceId = invoiced.invoice?["entity_id"] as? Int
        delivery = try deliver(invoiced.webhook, OrderPostingRun.Request(incrementId: increment, event: .invoiceCaptured,
                                                                         arrivedVia: .webhook, invoiceId: invoiceId)) ?? delivery
        return Placed(label: label, incrementId: increment, delivery: delivery ?? "no webhook")
    }

    /// A webhook the receiver accepted needs nothing more. Without a receiver route in this
    /// build (404) the demo hands the same event to `OrderIntake`, exactly what the receiver does.
    func deliver(_ webhook: [String: Any]?, _ request: OrderPostingRun.Request) throws -> String? {
        guard let webhook else { return nil }
        let status = webhook["status"] as? Int
        if receiver.answered == nil { receiver.answered = .some(status) }
        if status == 200 { return "signed webhook → receiver" }
        try handOver(request)
        return "event handed to OrderIntake (receiver answered \(status.map(String.init) ?? "nothing"))"
    }

    func handOver(_ request: OrderPostingRun.Request) throws {
        let conn = try Connection(conninfo)
        try conn.transaction { tx in
            if case .enqueue(let key, let payload) = try OrderIntake().receive(tx, tenant: tenantID, trigger: .invoiceCaptured, request) {
                _ = try queue.enqueue(tx, EnqueueRequest(kind: ConnectorJobs.postInvoice, tenantID: tenantID, payload: payload,
                                                         dedupKey: key))
            }
        }
    }
}

struct DemoError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
