// A worker process for the queue's reliability tests (kill -9, several processes). Not shipped.
//
// usage: queue-test-worker CONNINFO THREADS LEASE_SECONDS
// Runs a WorkerPool until SIGTERM (graceful shutdown) or SIGKILL. Handlers:
//   effect  payload {"sleep_ms": n}: sleeps, then inserts its side effect into queue_test_effects
//           in the same transaction that completes the job (exactly-once database side effect).
//   gp      (usesGP) counts itself into queue_test_gauge while it runs, so the peak number of GP
//           jobs running at once across all processes is measured by the handlers themselves.
import Foundation
import Postgres
import Queue

let arguments = CommandLine.arguments
guard arguments.count >= 4, let threads = Int(arguments[2]), let lease = Double(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: queue-test-worker CONNINFO THREADS LEASE_SECONDS\n".utf8))
    exit(2)
}
let conninfo = arguments[1]

struct SleepPayload: Decodable { let sleep_ms: Int? }

let registry = JobRegistry()
registry.register("effect", maxAttempts: 50) { job, context in
    let payload = try job.decodePayload(SleepPayload.self)
    if let ms = payload.sleep_ms, ms > 0 { Thread.sleep(forTimeInterval: Double(ms) / 1000) }
    try context.transaction { conn in
        try conn.execute("INSERT INTO queue_test_effects (job_id, attempt, worker) VALUES ($1, $2, $3)",
                         job.id, job.attempt, "\(ProcessInfo.processInfo.processIdentifier)")
    }
}
registry.register("gp", usesGP: true, maxAttempts: 50) { job, context in
    let payload = try job.decodePayload(SleepPayload.self)
    try context.connection.execute("""
        UPDATE queue_test_gauge SET running = running + 1, peak = greatest(peak, running + 1)
        """)
    if let ms = payload.sleep_ms, ms > 0 { Thread.sleep(forTimeInterval: Double(ms) / 1000) }
    try context.connection.execute("UPDATE queue_test_gauge SET running = running - 1")
}

let pool = WorkerPool(queue: JobQueue(registry: registry), configuration: WorkerPoolConfiguration(
    conninfo: conninfo, threads: threads, batchSize: 10, leaseSeconds: lease,
    heartbeatInterval: max(0.2, lease / 4), pollInterval: 0.05, maintenanceInterval: 0.25,
    runScheduler: false))
do { try pool.start() } catch {
    FileHandle.standardError.write(Data("cannot start: \(error)\n".utf8))
    exit(1)
}
FileHandle.standardOutput.write(Data("ready \(pool.owner)\n".utf8))

signal(SIGTERM, SIG_IGN)
let source = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
source.setEventHandler {
    pool.shutdown(grace: 5)
    exit(0)
}
source.resume()
while true { sleep(60) }
