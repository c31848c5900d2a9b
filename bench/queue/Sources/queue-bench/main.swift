// queue-bench: burn down N no-op jobs with M worker threads and report jobs/s, WAL bytes per job,
// dead tuples left, and (in a second phase) enqueue-to-start latency under a steady trickle.
//
// usage: queue-bench CONNINFO [--n 100000] [--threads 4] [--batch 100] [--runs 3] [--warmup 1]
//                             [--latency-jobs 3000] [--latency-rate 1000]
import Foundation
import Postgres
import Queue
import Synchronization

struct Options {
    var conninfo = ""
    var n = 100_000
    var threads = 4
    var batch = 100
    var runs = 3
    var warmup = 1
    var latencyJobs = 3000
    var latencyRate = 1000.0
    var syncAcks = false

    init(_ args: [String]) {
        var index = 1
        func next() -> String { index += 1; return index < args.count ? args[index] : "" }
        while index < args.count {
            switch args[index] {
            case "--n": n = Int(next()) ?? n
            case "--threads": threads = Int(next()) ?? threads
            case "--batch": batch = Int(next()) ?? batch
            case "--runs": runs = Int(next()) ?? runs
            case "--warmup": warmup = Int(next()) ?? warmup
            case "--latency-jobs": latencyJobs = Int(next()) ?? latencyJobs
            case "--latency-rate": latencyRate = Double(next()) ?? latencyRate
            case "--sync-acks": syncAcks = true
            default: conninfo = args[index]
            }
            index += 1
        }
    }
}

final class Latencies: Sendable {
    let values = Mutex<[Double]>([])
    func add(_ value: Double) { values.withLock { $0.append(value) } }
    func take() -> [Double] { values.withLock { let v = $0; $0.removeAll(); return v } }
}

let options = Options(CommandLine.arguments)
let latencies = Latencies()
let registry = JobRegistry()
registry.register("noop") { job, _ in
    latencies.add(Date().timeIntervalSince(job.createdAt) * 1000)
}
let queue = JobQueue(registry: registry)
let admin = try Connection(options.conninfo)

func scalar<T: PostgresDecodable>(_ sql: String, _ params: (any PostgresEncodable)?...) throws -> T {
    try admin.query(sql, params.map { $0?.postgresValue })[0].decode(0)
}

/// CPU seconds used by the whole PostgreSQL cluster so far: the postmaster's reaped children
/// (exited backends) plus every live child. A contention-independent cost measure: on a shared
/// machine jobs/s varies with the neighbours, CPU per job much less.
func clusterCPUSeconds() -> Double {
    func fields(_ pid: Int32) -> [String]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].split(separator: " ").map(String.init)
    }
    guard let backend: Int32 = try? scalar("SELECT pg_backend_pid()"), let mine = fields(backend),
          let postmaster = Int32(mine[1]), let pm = fields(postmaster) else { return .nan }
    let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
    // After ")": state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    let reaped: Double = (Double(pm[13]) ?? 0) + (Double(pm[14]) ?? 0)
    let own: Double = (Double(pm[11]) ?? 0) + (Double(pm[12]) ?? 0)
    var total = reaped + own
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
        guard let pid = Int32(entry), let f = fields(pid), f.count > 12, Int32(f[1]) == postmaster else { continue }
        total += (Double(f[11]) ?? 0) + (Double(f[12]) ?? 0)
    }
    return total / ticks
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func makePool() -> WorkerPool {
    WorkerPool(queue: queue, configuration: WorkerPoolConfiguration(
        conninfo: options.conninfo, threads: options.threads, batchSize: options.batch,
        leaseSeconds: 60, heartbeatInterval: 10, pollInterval: 0.5, maintenanceInterval: 1,
        pruneInterval: 3600, runScheduler: false, asyncAcks: !options.syncAcks))
}

struct RunResult { let jobsPerSecond: Double; let wallJobsPerSecond: Double; let walPerJob: Double; let dead: Int
                   let enqueuePerSecond: Double; let pgCPUMicrosPerJob: Double; let selfCPUMicrosPerJob: Double }

func burnDown(label: String) throws -> RunResult {
    try admin.executeScript("TRUNCATE jobs, job_events")
    try admin.executeScript("CHECKPOINT")
    let enqueueStart = Date()
    for start in stride(from: 0, to: options.n, by: 1000) {
        let count = min(1000, options.n - start)
        try queue.enqueueMany(admin, Array(repeating: EnqueueRequest(kind: "noop", tenantID: "bench"), count: count))
    }
    let enqueueSeconds = Date().timeIntervalSince(enqueueStart)
    for sql in ["VACUUM ANALYZE jobs", "VACUUM ANALYZE job_events", "CHECKPOINT"] { try admin.executeScript(sql) }
    _ = latencies.take()
    let startRow = try admin.query("SELECT clock_timestamp()::text, pg_current_wal_lsn()::text", [])[0]
    let dbStart: String = try startRow.decode(0)
    let lsn: String = try startRow.decode(1)
    let cpuStart = clusterCPUSeconds()
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let selfStart = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    let wallStart = Date()
    let pool = makePool()
    try pool.start()
    while pool.processedCount < options.n { Thread.sleep(forTimeInterval: 0.005) }
    // The last batch's completion lands a moment after its handler ran.
    while try scalar("SELECT count(*) FROM jobs WHERE state <> 'completed'") as Int > 0 {
        Thread.sleep(forTimeInterval: 0.005)
    }
    let wall = Date().timeIntervalSince(wallStart)
    let done: Double = try scalar("""
        SELECT extract(epoch FROM max(finished_at) - $1::timestamptz)::float8 FROM jobs WHERE state = 'completed'
        """, dbStart)
    let wal: Double = try scalar("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::float8", lsn)
    pool.shutdown(grace: 5)
    Thread.sleep(forTimeInterval: 1.0)  // let the exited backends' statistics reach pg_stat
    let pgCPU = clusterCPUSeconds() - cpuStart
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let selfCPU = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6 - selfStart
    let dead: Int = try scalar("SELECT coalesce(n_dead_tup, 0)::int FROM pg_stat_user_tables WHERE relname = 'jobs'")
    let completed: Int = try scalar("SELECT count(*) FROM jobs WHERE state = 'completed'")
    let events: Int = try scalar("SELECT count(DISTINCT id) FROM jobs WHERE state = 'completed' AND owner IS NOT NULL")
    let result = RunResult(jobsPerSecond: Double(options.n) / done, wallJobsPerSecond: Double(options.n) / wall,
                           walPerJob: wal / Double(options.n), dead: dead,
                           enqueuePerSecond: Double(options.n) / enqueueSeconds,
                           pgCPUMicrosPerJob: pgCPU * 1e6 / Double(options.n),
                           selfCPUMicrosPerJob: selfCPU * 1e6 / Double(options.n))
    print(String(format: #"{"system":"mlc-queue%@","run":"%@","n":%d,"threads":%d,"batch":%d,"jobs_s":%.0f,"jobs_s_wall":%.0f,"enqueue_jobs_s":%.0f,"consume_wal_bytes_per_job":%.0f,"n_dead_tup_after":%d,"pg_cpu_us_per_job":%.1f,"worker_cpu_us_per_job":%.1f,"completed":%d,"valid":%@}"#,
                 options.syncAcks ? "-sync-acks" : "", label, options.n, options.threads, options.batch, result.jobsPerSecond, result.wallJobsPerSecond,
                 result.enqueuePerSecond, result.walPerJob, dead, result.pgCPUMicrosPerJob,
                 result.selfCPUMicrosPerJob, completed,
                 (completed == options.n && events == options.n) ? "true" : "false"))
    return result
}

/// Enqueue-to-start latency: workers idle-wait (LISTEN/NOTIFY), one job per enqueue transaction
/// at a steady rate; each handler records now - created_at.
func latencyPhase() throws -> (p50: Double, p99: Double, max: Double) {
    try admin.executeScript("TRUNCATE jobs, job_events")
    let pool = makePool()
    try pool.start()
    Thread.sleep(forTimeInterval: 0.5)
    _ = latencies.take()
    let interval = 1.0 / options.latencyRate
    let start = Date()
    for index in 0..<options.latencyJobs {
        let due = start.addingTimeInterval(Double(index) * interval)
        let wait = due.timeIntervalSinceNow
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        _ = try queue.enqueue(admin, kind: "noop", tenant: "bench")
    }
    while pool.processedCount < options.latencyJobs { Thread.sleep(forTimeInterval: 0.01) }
    pool.shutdown(grace: 5)
    let values = latencies.take()
    return (percentile(values, 0.5), percentile(values, 0.99), values.max() ?? .nan)
}

var results: [RunResult] = []
for index in 0..<options.warmup { _ = try burnDown(label: "warmup\(index + 1)") }
for index in 0..<options.runs { results.append(try burnDown(label: "run\(index + 1)")) }
let latency = try latencyPhase()
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
print(String(format: "SUMMARY mlc-queue%@ n=%d threads=%d batch=%d runs=%d | jobs_s: median %.0f (min %.0f, max %.0f) | jobs_s_wall: median %.0f | consume_wal_bytes_per_job: median %.0f | n_dead_tup_after: median %.0f | pg_cpu_us_per_job: median %.1f | worker_cpu_us_per_job: median %.1f | enqueue_to_start_ms (1 job/txn at %.0f/s, %d jobs): p50 %.2f p99 %.2f max %.2f",
             options.syncAcks ? "-sync-acks" : "", options.n, options.threads, options.batch, options.runs,
             median(results.map(\.jobsPerSecond)), results.map(\.jobsPerSecond).min() ?? 0,
             results.map(\.jobsPerSecond).max() ?? 0, median(results.map(\.wallJobsPerSecond)),
             median(results.map(\.walPerJob)), median(results.map { Double($0.dead) }),
             median(results.map(\.pgCPUMicrosPerJob)), median(results.map(\.selfCPUMicrosPerJob)),
             options.latencyRate, options.latencyJobs, latency.p50, latency.p99, latency.max))
