import Foundation
import Postgres
import Testing
@testable import Queue

extension QueueDatabaseTests {
    @Suite struct SchedulerTests {
        @Test func threeConcurrentSchedulersEnqueueEachTickExactlyOnce() throws {
            let f = try QueueFixture("sched_race")
            let scheduler = Scheduler(queue: f.queue)
            for entity in ["items", "customers", "orders", "invoices"] {
                try scheduler.upsert(f.conn, tenantID: "t1", entity: entity, kind: "sync.\(entity)",
                                     everySeconds: 1, firstAt: Date().addingTimeInterval(-0.2))
            }
            let conns = try (0..<3).map { _ in try Connection(f.conninfo) }
            let fired = Locked<Int>(0)
            // Each scheduler keeps firing for 2.5 s: ticks come due every second meanwhile.
            onThreads(3) { index in
                let end = Date().addingTimeInterval(2.5)
                while Date() < end {
                    let n = (try? scheduler.fireDue(conns[index])) ?? 0
                    fired.mutate { $0 += n }
                    Thread.sleep(forTimeInterval: 0.01)
                }
            }
            let ticks = try f.count("SELECT count(*) FROM schedule_ticks")
            #expect(fired.value == ticks)
            #expect(try f.count("SELECT count(DISTINCT (schedule_id, fire_at)) FROM schedule_ticks") == ticks)
            #expect(try f.count("SELECT count(*) FROM schedule_ticks WHERE job_id IS NULL") == 0)
            // 4 schedules × about 3 ticks (t0, t0+1, t0+2 within 2.5 s), never more.
            #expect(ticks >= 8 && ticks <= 12)
            // Each tick's job is distinct unless it was deduplicated against a still-live run.
            #expect(try f.count("SELECT count(*) FROM jobs") <= ticks)
            #expect(try f.count("SELECT count(*) FROM jobs") >= 4)
        }

        @Test func ticksMissedWhileDownAreCoalescedIntoOneRun() throws {
            let f = try QueueFixture("sched_coalesce")
            let scheduler = Scheduler(queue: f.queue)
            try scheduler.upsert(f.conn, tenantID: "t1", entity: "items", kind: "sync.items", everySeconds: 60,
                                 firstAt: Date().addingTimeInterval(-3600 - 30))  // 61 ticks missed
            #expect(try scheduler.fireDue(f.conn) == 1)
            #expect(try scheduler.fireDue(f.conn) == 0)
            #expect(try f.count("SELECT count(*) FROM jobs WHERE kind = 'sync.items'") == 1)
            let row = try f.conn.query("""
                SELECT extract(epoch FROM next_fire_at - now())::float8,
                       (extract(epoch FROM next_fire_at - (SELECT fire_at FROM schedule_ticks))::numeric % 60)::float8
                  FROM schedules
                """, [])[0]
            let untilNext: Double = try row.decode(0)
            let offGrid: Double = try row.decode(1)
            #expect(untilNext > 0 && untilNext <= 60)
            #expect(abs(offGrid) < 0.001)
        }
    }
}
