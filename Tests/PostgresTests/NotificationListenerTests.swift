import Foundation
import Postgres
import TestSupport
import Testing

@Suite(.serialized)
struct NotificationListenerTests {
    let conninfo: String
    let sender: Connection

    init() throws {
        conninfo = try TestDatabase.shared.freshDatabase("listen")
        sender = try Connection(conninfo)
    }

    /// Waits until at least `count` notifications arrived or 10 s passed.
    func collect(_ listener: NotificationListener, count: Int) throws -> [PostgresNotification] {
        var received: [PostgresNotification] = []
        let deadline = Date().addingTimeInterval(10)
        while received.count < count && Date() < deadline {
            received += try listener.wait(timeout: .seconds(1))
        }
        return received
    }

    @Test func aNotifyIsDeliveredWithItsChannelAndPayload() throws {
        let listener = try NotificationListener(conninfo: conninfo, channels: ["jobs", "Other Channel"])
        try sender.notify(channel: "jobs", payload: "tenant-1")
        try sender.notify(channel: "Other Channel", payload: "ü ' \"")
        try sender.notify(channel: "unlistened", payload: "x")
        let received = try collect(listener, count: 2)
        #expect(received.map(\.channel) == ["jobs", "Other Channel"])
        #expect(received.map(\.payload) == ["tenant-1", "ü ' \""])
        #expect(received.first?.backendPID == sender.backendPID)
    }

    @Test func waitReturnsNothingAfterItsTimeoutWhenNothingIsSent() throws {
        let listener = try NotificationListener(conninfo: conninfo, channels: ["quiet"])
        let started = Date()
        #expect(try listener.wait(timeout: .milliseconds(200)).isEmpty)
        #expect(Date().timeIntervalSince(started) >= 0.19)
    }

    @Test func aNotifyInsideATransactionArrivesOnlyAfterCommit() throws {
        let listener = try NotificationListener(conninfo: conninfo, channels: ["jobs"])
        try sender.transaction { tx in
            try tx.notify(channel: "jobs", payload: "in-tx")
            #expect(try listener.wait(timeout: .milliseconds(200)).isEmpty)
        }
        #expect(try collect(listener, count: 1).map(\.payload) == ["in-tx"])
    }

    @Test func interruptWakesABlockedWait() throws {
        let listener = try NotificationListener(conninfo: conninfo, channels: ["jobs"])
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { listener.interrupt() }
        let started = Date()
        #expect(try listener.wait(timeout: .seconds(30)).isEmpty)
        #expect(Date().timeIntervalSince(started) < 20)
    }

    @Test func theListenerReconnectsAndListensAgainAfterItsSessionIsKilled() throws {
        let listener = try NotificationListener(conninfo: conninfo, channels: ["jobs"])
        let oldPID = try #require(listener.backendPID)
        _ = try sender.query("SELECT pg_terminate_backend($1)", oldPID)
        _ = try listener.wait(timeout: .seconds(2))  // notices the loss
        var received: [PostgresNotification] = []
        let deadline = Date().addingTimeInterval(10)
        while received.isEmpty && Date() < deadline {
            try sender.notify(channel: "jobs", payload: "after")
            received = try listener.wait(timeout: .milliseconds(500))
        }
        #expect(received.first?.payload == "after")
        #expect(listener.backendPID != oldPID)
    }
}
