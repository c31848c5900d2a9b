import Foundation
import Postgres
import Testing
@testable import Queue

extension QueueDatabaseTests {
    @Suite struct TransitionTests {
        func done(_ job: Job, _ outcome: JobOutcome = .completed) -> JobCompletion {
            JobCompletion(id: job.id, attempt: job.attempt, outcome: outcome, startedAt: Date(), durationMs: 1)
        }

        @Test func aStaleOwnerOrAttemptCannotCompleteAJob() throws {
            let f = try QueueFixture("guard")
            let id = try f.queue.enqueue(f.conn, kind: "k", tenant: "t1").job.id
            let first = try #require(try f.queue.claim(f.conn, owner: "old", limit: 1, leaseSeconds: 30).first)
            #expect(try f.queue.finish(f.conn, owner: "intruder", [done(first)]).isEmpty)
            // The lease expires; the rescuer hands the job to a new attempt of another worker.
            try f.conn.execute("UPDATE jobs SET lease_until = now() - interval '1 s' WHERE id = $1", id)
            #expect(try f.queue.rescueExpired(f.conn) == 1)
            let second = try #require(try f.queue.claim(f.conn, owner: "new", limit: 1, leaseSeconds: 30).first)
            #expect(second.attempt == 2)
            #expect(try f.queue.finish(f.conn, owner: "old", [done(first)]).isEmpty)   // late old worker
            #expect(try f.queue.finish(f.conn, owner: "new", [done(first)]).isEmpty)   // right owner, old attempt
            #expect(try f.queue.finish(f.conn, owner: "new", [done(second)]) == [id])
            let detail = try f.queue.job(f.conn, id: id)
            #expect(detail.job.state == .completed)
            #expect(detail.events.map(\.event) == ["rescued", "completed"])
            #expect(detail.events[0].error?.contains("lease expired") == true)
        }

        @Test func aHeartbeatKeepsTheRescuerAway() throws {
            let f = try QueueFixture("heartbeat")
            let id = try f.queue.enqueue(f.conn, kind: "k", tenant: "t1").job.id
            _ = try f.queue.claim(f.conn, owner: "w", limit: 1, leaseSeconds: 0.3)
            Thread.sleep(forTimeInterval: 0.15)
            #expect(try f.queue.heartbeat(f.conn, owner: "w", jobIDs: [id], leaseSeconds: 30) == [id: false])
            Thread.sleep(forTimeInterval: 0.3)
            #expect(try f.queue.rescueExpired(f.conn) == 0)
            #expect(try f.queue.heartbeat(f.conn, owner: "other", jobIDs: [id], leaseSeconds: 30).isEmpty)
        }

        @Test func retriesWaitForTheRequestedDelayAndDiscardAfterMaxAttempts() throws {
            let f = try QueueFixture("retry")
            let id = try f.queue.enqueue(f.conn, EnqueueRequest(kind: "k", tenantID: "t1", maxAttempts: 2)).job.id
            let a1 = try #require(try f.queue.claim(f.conn, owner: "w", limit: 1, leaseSeconds: 30).first)
            try f.queue.finish(f.conn, owner: "w", [done(a1, .retry(error: "429 Too Many Requests", delay: 120))])
            let waiting = try f.queue.job(f.conn, id: id).job
            #expect(waiting.state == .retryable)
            #expect(waiting.runAt.timeIntervalSinceNow > 100 && waiting.runAt.timeIntervalSinceNow < 130)
            try f.conn.execute("UPDATE jobs SET run_at = now() WHERE id = $1", id)
            try f.queue.stageDue(f.conn)
            let a2 = try #require(try f.queue.claim(f.conn, owner: "w", limit: 1, leaseSeconds: 30).first)
            try f.queue.finish(f.conn, owner: "w", [done(a2, .retry(error: "503 again", delay: 1))])
            let dead = try f.queue.job(f.conn, id: id)
            #expect(dead.job.state == .discarded)
            #expect(dead.job.lastError == "503 again")
            #expect(dead.events.map(\.event) == ["failed", "discarded"])
        }

        @Test func aDiscardedJobKeepsPayloadAndHistoryAndCanBeReplayedWithItsDedupKey() throws {
            let f = try QueueFixture("replay")
            let id = try f.queue.enqueue(f.conn, kind: "order.post", tenant: "t1", payload: #"{"order":"100"}"#,
                                         dedupKey: "order:t1:100").job.id
            let a1 = try #require(try f.queue.claim(f.conn, owner: "w", limit: 1, leaseSeconds: 30).first)
            #expect(throws: QueueError.self) { try f.queue.replay(f.conn, id: id, actor: "ops@example.com") }
            try f.queue.finish(f.conn, owner: "w", [done(a1, .discard(error: "fiscal period closed"))])
            // A live job now takes the key: replaying would duplicate it.
            let other = try f.queue.enqueue(f.conn, kind: "order.post", tenant: "t1", dedupKey: "order:t1:100")
            #expect(other.inserted)
            #expect(throws: QueueError.self) { try f.queue.replay(f.conn, id: id, actor: "ops@example.com") }
            _ = try f.queue.cancel(f.conn, id: other.job.id, actor: "ops@example.com")
            let replayed = try f.queue.replay(f.conn, id: id, actor: "ops@example.com")
            #expect(replayed.state == .available && replayed.dedupKey == "order:t1:100")
            #expect(replayed.payload.contains("\"100\""))
            #expect(replayed.maxAttempts > replayed.attempt)
            let events = try f.queue.job(f.conn, id: id).events
            #expect(events.map(\.event) == ["discarded", "replayed"])
            #expect(events.last?.actor == "ops@example.com")
            #expect(throws: QueueError.self) { try f.queue.replay(f.conn, id: id, actor: "x", tenantID: "t2") }
        }

        @Test func cancellingARunningJobIsSeenByItsHeartbeat() throws {
            let f = try QueueFixture("cancel")
            let id = try f.queue.enqueue(f.conn, kind: "k", tenant: "t1").job.id
            _ = try f.queue.claim(f.conn, owner: "w", limit: 1, leaseSeconds: 30)
            #expect(try f.queue.cancel(f.conn, id: id, actor: "ops").state == .running)
            #expect(try f.queue.heartbeat(f.conn, owner: "w", jobIDs: [id], leaseSeconds: 30) == [id: true])
            let waiting = try f.queue.enqueue(f.conn, kind: "k", tenant: "t1").job.id
            #expect(try f.queue.cancel(f.conn, id: waiting, actor: "ops").state == .cancelled)
        }

        @Test func listingFiltersAndPagesWithACursor() throws {
            let f = try QueueFixture("list")
            try f.queue.enqueueMany(f.conn, (0..<7).map { _ in EnqueueRequest(kind: "a", tenantID: "t1") }
                                    + (0..<3).map { _ in EnqueueRequest(kind: "b", tenantID: "t2") })
            let page1 = try f.queue.list(f.conn, filter: JobFilter(tenantID: "t1"), limit: 5)
            #expect(page1.jobs.count == 5 && page1.nextCursor != nil)
            let page2 = try f.queue.list(f.conn, filter: JobFilter(tenantID: "t1"), limit: 5, cursor: page1.nextCursor)
            #expect(page2.jobs.count == 2 && page2.nextCursor == nil)
            #expect(Set(page1.jobs.map(\.id)).isDisjoint(with: page2.jobs.map(\.id)))
            #expect(try f.queue.list(f.conn, filter: JobFilter(kind: "b", state: .available)).jobs.count == 3)
        }

        @Test func pruningDeletesOnlyOldCompletedAndCancelledJobs() throws {
            let f = try QueueFixture("prune")
            try f.queue.enqueueMany(f.conn, JobState.allCases.map { EnqueueRequest(kind: $0.rawValue, tenantID: "t1") })
            try f.conn.execute("""
                UPDATE jobs SET state = kind, finished_at = now() - interval '8 days',
                       owner = CASE WHEN kind = 'running' THEN 'w' END,
                       lease_until = CASE WHEN kind = 'running' THEN now() + interval '1 h' END
                """)
            try f.queue.enqueueMany(f.conn, [EnqueueRequest(kind: "recent", tenantID: "t1")])
            try f.conn.execute("UPDATE jobs SET state = 'completed', finished_at = now() WHERE kind = 'recent'")
            try f.conn.execute("INSERT INTO job_events (job_id, attempt, event) SELECT id, 1, 'completed' FROM jobs")
            #expect(try f.queue.prune(f.conn, olderThan: 7 * 86_400, batchSize: 1) == 2)
            let left = try f.conn.query("SELECT kind FROM jobs ORDER BY kind", []).map { try $0.decode(0, as: String.self) }
            #expect(left == ["available", "discarded", "recent", "retryable", "running", "scheduled"])
            #expect(try f.count("SELECT count(*) FROM job_events") == 6)
        }
    }
}
