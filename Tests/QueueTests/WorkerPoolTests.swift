import Foundation
import Postgres
import Testing
@testable import Queue

extension QueueDatabaseTests {
    @Suite struct WorkerPoolTests {
        func pool(_ f: QueueFixture, threads: Int = 2, batch: Int = 10, lease: Double = 5) -> WorkerPool {
            WorkerPool(queue: f.queue, configuration: WorkerPoolConfiguration(
                conninfo: f.conninfo, threads: threads, batchSize: batch, leaseSeconds: lease,
                heartbeatInterval: lease / 4, pollInterval: 0.05, maintenanceInterval: 0.2, runScheduler: false))
        }

        @Test func handlersRunWithProgressAndOutcomesAndUnknownKindsAreDiscarded() throws {
            let f = try QueueFixture("pool_basic")
            f.registry.register("ok") { job, context in
                try context.reportProgress(processed: 3, total: 3, counters: ["created": 2, "skipped": 1])
            }
            f.registry.register("flaky", maxAttempts: 5) { job, _ in
                if job.attempt < 2 { throw JobFailure.retryable("GP busy", after: 0) }
            }
            f.registry.register("bad") { _, _ in throw JobFailure.permanent("customer is on hold") }
            let ok = try f.queue.enqueue(f.conn, kind: "ok", tenant: "t1").job.id
            let flaky = try f.queue.enqueue(f.conn, kind: "flaky", tenant: "t1").job.id
            let bad = try f.queue.enqueue(f.conn, kind: "bad", tenant: "t1").job.id
            let unknown = try f.queue.enqueue(f.conn, kind: "nobody.handles.this", tenant: "t1").job.id
            let workers = pool(f)
            try workers.start()
            defer { workers.shutdown(grace: 1) }
            #expect(try eventually(within: 20) {
                try f.count("SELECT count(*) FROM jobs WHERE state IN ('completed', 'discarded')") == 4
            })
            let okJob = try f.queue.job(f.conn, id: ok).job
            #expect(okJob.state == .completed)
            #expect(okJob.progress?.contains("\"created\": 2") == true)
            let flakyJob = try f.queue.job(f.conn, id: flaky)
            #expect(flakyJob.job.state == .completed && flakyJob.job.attempt == 2)
            #expect(try f.state(bad) == .discarded)
            let unknownJob = try f.queue.job(f.conn, id: unknown).job
            #expect(unknownJob.state == .discarded)
            #expect(unknownJob.lastError?.contains("unknown job kind") == true)
        }

        @Test func shutdownReleasesUnstartedAndOverrunningJobsWithoutUsingAnAttempt() throws {
            let f = try QueueFixture("pool_shutdown")
            let started = Locked<Int>(0)
            f.registry.register("slow", maxAttempts: 3) { _, _ in
                started.mutate { $0 += 1 }
                Thread.sleep(forTimeInterval: 2)   // ignores cancellation on purpose
            }
            try f.queue.enqueueMany(f.conn, (0..<5).map { _ in EnqueueRequest(kind: "slow", tenantID: "t1") })
            let workers = pool(f, threads: 1, batch: 5)
            try workers.start()
            #expect(eventually(within: 10) { started.value == 1 })
            workers.shutdown(grace: 0.3)
            #expect(started.value == 1)
            let jobs = try f.queue.list(f.conn).jobs
            #expect(jobs.count == 5)
            for job in jobs {
                #expect(job.state == .available)
                #expect(job.owner == nil)
                #expect(job.maxAttempts - job.attempt == 3)  // the attempt budget is intact
            }
            #expect(try f.count("SELECT count(*) FROM job_events WHERE event = 'released'") == 5)
            Thread.sleep(forTimeInterval: 2)  // the overrunning handler ends; its late finish changes nothing
            #expect(try f.count("SELECT count(*) FROM jobs WHERE state = 'available'") == 5)
        }

        @Test func workersReconnectAfterAPostgresRestartAndFinishTheBacklog() throws {
            let f = try QueueFixture("pool_restart")
            f.registry.register("effect", maxAttempts: 50) { job, context in
                Thread.sleep(forTimeInterval: 0.01)
                try context.transaction { conn in
                    try conn.execute("INSERT INTO queue_test_effects (job_id, attempt) VALUES ($1, $2)", job.id, job.attempt)
                }
            }
            try f.queue.enqueueMany(f.conn, (0..<300).map { _ in EnqueueRequest(kind: "effect", tenantID: "t1") })
            let workers = pool(f, threads: 3, batch: 5, lease: 2)
            try workers.start()
            defer { workers.shutdown(grace: 1) }
            #expect(try eventually(within: 20) { try f.count("SELECT count(*) FROM queue_test_effects") >= 30 })
            try TestCluster.shared.restart()
            let conn = try Connection(f.conninfo)
            let finished = try eventually(within: 60) {
                let n: Int = try conn.query("SELECT count(*) FROM jobs WHERE state = 'completed'", [])[0].decode(0)
                return n == 300
            }
            #expect(finished)
            #expect(try conn.query("SELECT count(*) FROM queue_test_effects", [])[0].decode(0, as: Int.self) == 300)
            #expect(try conn.query("SELECT count(DISTINCT job_id) FROM queue_test_effects", [])[0].decode(0, as: Int.self) == 300)
        }
    }
}
