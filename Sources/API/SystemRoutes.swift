import Foundation
import HTTPServer
import Postgres

/// The unauthenticated operational endpoints: liveness, readiness (the database answers) and
/// Prometheus metrics. They carry no tenant data and no secret.
public struct SystemRoutes: Sendable {
    let pool: ConnectionPool
    let metrics: Metrics

    public init(pool: ConnectionPool, metrics: Metrics) {
        self.pool = pool
        self.metrics = metrics
        metrics.gauge("mlc_process_resident_memory_bytes", help: "Resident set size of this process.") {
            Double(ProcessStats.residentBytes() ?? 0)
        }
        metrics.gauge("mlc_db_pool_in_use", help: "Database connections lent to request threads.") { [pool] in
            Double(pool.stats.inUse)
        }
        metrics.gauge("mlc_db_pool_max", help: "Largest number of pooled database connections.") { [pool] in
            Double(pool.stats.max)
        }
    }

    public func register(on router: inout Router) {
        router.add(.GET, "/healthz") { _ in
            .json(["status": "ok"])
        }
        router.add(.GET, "/readyz") { [pool] _ in
            do {
                let ok = try pool.withConnection { try $0.query("SELECT 1 AS ok").first?.decode("ok", as: Int.self) == 1 }
                guard ok else { throw HTTPError.databaseUnavailable }
                return .json(["status": "ready", "database": "ok"])
            } catch {
                throw HTTPError.databaseUnavailable
            }
        }
        router.add(.GET, "/metrics") { [metrics] _ in
            var response = Response.text(metrics.render())
            response.headers.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            return response
        }
    }
}

extension HTTPError {
    static let databaseUnavailable = HTTPError(
        status: .serviceUnavailable, code: "database_unavailable",
        message: "The database is not reachable; the server cannot serve requests that need it.",
        headers: ["Retry-After": "5"])
}

/// Reads this process's memory use from /proc (Linux).
enum ProcessStats {
    static func residentBytes() -> Int? {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
