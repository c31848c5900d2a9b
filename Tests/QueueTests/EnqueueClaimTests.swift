import Foundation
import Postgres
import Testing
@testable import Queue

extension QueueDatabaseTests {
    @Suite struct EnqueueClaimTests {
        @Test func enqueueInsideTheCallersTransactionVanishesOnRollback() throws {
            let f = try QueueFixture("enq_tx")
            struct Boom: Error {}
            #expect(throws: Boom.self) {
                try f.conn.transaction { conn in
                    _ = try f.queue.enqueue(conn, kind: "k", tenant: "t1", payload: #"{"a":1}"#)
                    throw Boom()
                }
            }
            #expect(try f.count("SELECT count(*) FROM jobs") == 0)
            let kept = try f.conn.transaction { conn in try f.queue.enqueue(conn, kind: "k", tenant: "t1") }
            #expect(kept.inserted && kept.job.state == .available)
        }

        @Test func aLiveDedupKeyReturnsTheExistingJobAndAFinishedOneDoesNot() throws {
            let f = try QueueFixture("enq_dedup")
            let first = try f.queue.enqueue(f.conn, kind: "order.post", tenant: "t1", dedupKey: "order:t1:1")
            let second = try f.queue.enqueue(f.conn, kind: "order.post", tenant: "t1", dedupKey: "order:t1:1")
            #expect(first.inserted && !second.inserted && second.job.id == first.job.id)
            let claimed = try f.queue.claim(f.conn, owner: "w", limit: 5, leaseSeconds: 30)
            try f.queue.finish(f.conn, owner: "w", [JobCompletion(id: claimed[0].id, attempt: 1, outcome: .completed,
                                                                    startedAt: Date(), durationMs: 1)])
            let third = try f.queue.enqueue(f.conn, kind: "order.post", tenant: "t1", dedupKey: "order:t1:1")
            #expect(third.inserted && third.job.id != first.job.id)
        }

        @Test func fiftyConcurrentEnqueuesOfOneKeyFromDifferentConnectionsMakeExactlyOneJob() throws {
            let f = try QueueFixture("enq_race")
            let conns = try (0..<50).map { _ in try Connection(f.conninfo) }
            let ids = Locked<[Int64]>([])
            let errors = Locked<[String]>([])
            let queue = f.queue
            onThreads(50) { index in
                do {
                    let result = try conns[index].transaction { conn in
                        try queue.enqueue(conn, kind: "order.post", tenant: "t1", dedupKey: "order:t1:77")
                    }
                    ids.mutate { $0.append(result.job.id) }
                } catch { errors.mutate { $0.append("\(error)") } }
            }
            #expect(errors.value.isEmpty)
            #expect(ids.value.count == 50)
            #expect(Set(ids.value).count == 1)
            #expect(try f.count("SELECT count(*) FROM jobs") == 1)
        }

        @Test func futureRunAtWaitsAsScheduledUntilStaged() throws {
            let f = try QueueFixture("enq_sched")
            let job = try f.queue.enqueue(f.conn, kind: "k", tenant: "t1", runAt: Date().addingTimeInterval(3600)).job
            #expect(job.state == .scheduled)
            #expect(try f.queue.claim(f.conn, owner: "w", limit: 10, leaseSeconds: 30).isEmpty)
            try f.conn.execute("UPDATE jobs SET run_at = now() - interval '1 s' WHERE id = $1", job.id)
            #expect(try f.queue.stageDue(f.conn) == 1)
            #expect(try f.queue.claim(f.conn, owner: "w", limit: 10, leaseSeconds: 30).map(\.id) == [job.id])
        }

        @Test func aTenantWithTenJobsIsServedInTheFirstRoundDespiteAHundredThousandAhead() throws {
            let f = try QueueFixture("fair")
            for start in stride(from: 0, to: 100_000, by: 10_000) {
                _ = start
                try f.queue.enqueueMany(f.conn, (0..<10_000).map { _ in EnqueueRequest(kind: "k", tenantID: "a-busy") })
            }
            try f.queue.enqueueMany(f.conn, (0..<10).map { _ in EnqueueRequest(kind: "k", tenantID: "b-small") })
            try f.conn.executeScript("VACUUM ANALYZE jobs")
            let round = try f.queue.claim(f.conn, owner: "w", limit: 20, leaseSeconds: 30)
            #expect(round.filter { $0.tenantID == "b-small" }.count == 10)
            #expect(round.filter { $0.tenantID == "a-busy" }.count == 10)
        }

        @Test func manyTenantsRotateSoEveryTenantIsReachedWithinAFewRounds() throws {
            let f = try QueueFixture("fair_rot")
            let tenants = (0..<12).map { "t\(String(format: "%02d", $0))" }
            try f.queue.enqueueMany(f.conn, tenants.flatMap { t in (0..<20).map { _ in EnqueueRequest(kind: "k", tenantID: t) } })
            var served = Set<String>()
            var cursor = ""
            for _ in 0..<3 {
                let jobs = try f.queue.claim(f.conn, owner: "w", limit: 4, leaseSeconds: 30, after: cursor)
                served.formUnion(jobs.map(\.tenantID))
                cursor = jobs.map(\.tenantID).filter { $0 > cursor }.max() ?? jobs.map(\.tenantID).max()!
            }
            #expect(served == Set(tenants))
        }

        @Test func gpJobsNeverExceedTheTenantLimitAcrossConcurrentClaimers() throws {
            let f = try QueueFixture("gp_claim")
            f.registry.register("gp", usesGP: true) { _, _ in }
            try f.queue.setTenantLimit(f.conn, tenantID: "t1", maxParallel: 3)
            try f.queue.enqueueMany(f.conn, (0..<50).map { _ in EnqueueRequest(kind: "gp", tenantID: "t1") })
            let conns = try (0..<8).map { _ in try Connection(f.conninfo) }
            let claimed = Locked<Int>(0)
            let queue = f.queue
            onThreads(8) { index in
                let jobs = (try? queue.claim(conns[index], owner: "w\(index)", limit: 10, leaseSeconds: 30,
                                             gpPerTenant: 5)) ?? []
                claimed.mutate { $0 += jobs.count }
            }
            #expect(claimed.value == 3)
            #expect(try f.count("SELECT count(*) FROM jobs WHERE state = 'running'") == 3)
            #expect(try f.count("SELECT count(*) FROM queue_gp_slots WHERE job_id IS NOT NULL") == 3)
        }
    }
}

/// A value shared between test threads.
final class Locked<T>: @unchecked Sendable {
    private var storage: T
    private let lock = NSLock()
    init(_ value: T) { storage = value }
    var value: T { lock.lock(); defer { lock.unlock() }; return storage }
    func mutate(_ body: (inout T) -> Void) { lock.lock(); body(&storage); lock.unlock() }
}
