import Commerce
import Crypto
import Dispatch
import Foundation
import Testing
@testable import Simulators

/// A sink that holds its first batch until `open()`, records each batch it gets, and fails the
/// hooks of order `failing`.
final class GatedBatchSink: WebhookSink, @unchecked Sendable {
    private let lock = NSLock()
    private let gate = DispatchSemaphore(value: 0)
    private var sizes: [Int] = []
    private var ids: [[String]] = []
    let failing: String?

    init(failing: String? = nil) { self.failing = failing }

    func accept(_ event: CommerceWebhookEvent, rawBody: [UInt8], tenant: String) throws {
        Issue.record("the writer stores through accept(batch:)")
    }

    func accept(batch: [VerifiedWebhook]) -> [Result<Void, any Error>] {
        let first = lock.withLock {
            sizes.append(batch.count)
            ids.append(batch.map { $0.event.incrementId ?? "" })
            return sizes.count == 1
        }
        if first { gate.wait() }
        return batch.map { $0.event.incrementId == failing ? .failure(SinkDown()) : .success(()) }
    }

    func open() { gate.signal() }
    var batches: [Int] { lock.withLock { sizes } }
    var orders: [[String]] { lock.withLock { ids } }
}

/// Calls `receive` on its own thread and keeps the reply.
final class PendingReply: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var reply: WebhookReceiver.Reply?

    init(_ receiver: WebhookReceiver, _ signer: RSASigner, increment: String) throws {
        let body = Array(#"{"eventName":"sales_order_place_before","data":{"order":{"increment_id":"\#(increment)"}}}"#.utf8)
        let signature = try signer.webhookSignature(body: body)
        Thread {
            self.reply = receiver.receive(tenant: "t1", signature: signature, body: body)
            self.done.signal()
        }.start()
    }

    func wait() -> WebhookReceiver.Reply? {
        guard done.wait(timeout: .now() + 30) == .success else { return nil }
        return reply
    }
}

/// The receiver's writers: hooks that arrive while a write is in progress are stored together
/// (group commit), and each caller still gets its own hook's answer.
@Suite struct WebhookBatchingTests {
    static let signer = try! RSASigner()

    static func receiver(_ sink: any WebhookSink, budget: Duration = .seconds(20)) throws -> WebhookReceiver {
        let key = try RSAPublicKey(pem: signer.publicKeyPEM)
        return WebhookReceiver(sink: sink, budget: budget, sinkThreads: 1) { $0 == "t1" ? key : nil }
    }

    /// Polls `condition` until it holds (a wait for an event, not a speed assertion).
    static func waitUntil(_ condition: () -> Bool) {
        let deadline = Date(timeIntervalSinceNow: 30)
        while !condition() && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
    }

    @Test func hooksArrivingWhileTheWriterIsBusyReachTheSinkAsOneBatch() throws {
        let sink = GatedBatchSink()
        let receiver = try Self.receiver(sink)
        defer { receiver.shutdown() }
        let first = try PendingReply(receiver, Self.signer, increment: "1")
        Self.waitUntil { !sink.batches.isEmpty }
        let rest = try ["2", "3", "3", "4", "5", "2", "6", "7", "8"].map { try PendingReply(receiver, Self.signer, increment: $0) }
        Self.waitUntil { receiver.backlog >= rest.count }
        #expect(receiver.backlog == rest.count)
        sink.open()
        let replies = ([first] + rest).map { $0.wait() }
        #expect(replies.allSatisfy { $0?.status == 200 && $0?.outcome == "accepted" })
        #expect(sink.batches == [1, 9])
        #expect(Set(sink.orders[1]) == ["2", "3", "4", "5", "6", "7", "8"])
        #expect(receiver.counters.accepted == 10)
    }

    @Test func eachCallerOfABatchGetsItsOwnHooksOutcome() throws {
        let sink = GatedBatchSink(failing: "bad")
        let receiver = try Self.receiver(sink)
        defer { receiver.shutdown() }
        let first = try PendingReply(receiver, Self.signer, increment: "1")
        Self.waitUntil { !sink.batches.isEmpty }
        let increments = ["2", "bad", "3"]
        let rest = try increments.map { try PendingReply(receiver, Self.signer, increment: $0) }
        Self.waitUntil { receiver.backlog >= rest.count }
        sink.open()
        #expect(first.wait()?.outcome == "accepted")
        for (increment, pending) in zip(increments, rest) {
            let reply = pending.wait()
            // A hook the store could not keep is still acknowledged: the backstop poll catches it.
            #expect(reply?.status == 200)
            #expect(String(decoding: reply?.body ?? [], as: UTF8.self) == #"{"op":"success"}"#)
            #expect(reply?.outcome == (increment == "bad" ? "sink_failed" : "accepted"), "\(increment)")
        }
        #expect(receiver.counters.accepted == 3)
        #expect(receiver.counters.sinkFailed == 1)
    }

    @Test func aBatchStuckPastTheBudgetIsAcknowledgedAndCountedForEveryHook() throws {
        let sink = GatedBatchSink()
        let receiver = try Self.receiver(sink, budget: .milliseconds(100))
        defer { receiver.shutdown() }
        let replies = try ["1", "2", "3"].map { try PendingReply(receiver, Self.signer, increment: $0) }.map { $0.wait() }
        #expect(replies.allSatisfy { $0?.status == 200 && $0?.outcome == "budget_exceeded" })
        #expect(receiver.counters.budgetExceeded == 3)
        #expect(receiver.counters.accepted == 0)
        sink.open()
    }
}
