import Foundation
import Postgres

extension JobQueue {
    /// Jobs matching `filter`, newest first, `limit` per page (1…500). Pass the previous page's
    /// `nextCursor` as `cursor` for the next page.
    public func list(_ conn: Connection, filter: JobFilter = JobFilter(), limit: Int = 50,
                     cursor: Int64? = nil) throws -> JobPage {
        let pageSize = min(max(limit, 1), 500)
        let rows = try conn.query("""
            SELECT \(JobRecord.columns) FROM jobs j
             WHERE ($1::text IS NULL OR j.tenant_id = $1::text)
               AND ($2::text IS NULL OR j.kind = $2::text)
               AND ($3::text IS NULL OR j.state = $3::text)
               AND ($4::bigint IS NULL OR j.id < $4::bigint)
             ORDER BY j.id DESC LIMIT $5
            """, [filter.tenantID.map { .text($0) }, filter.kind.map { .text($0) },
                  filter.state.map { .text($0.rawValue) }, cursor?.postgresValue, (pageSize + 1).postgresValue])
        var jobs = try rows.map { try JobRecord(row: $0) }
        var next: Int64?
        if jobs.count > pageSize {
            jobs.removeLast()
            next = jobs.last?.id
        }
        return JobPage(jobs: jobs, nextCursor: next)
    }

    /// One job with its history, oldest event first. With `tenantID`, a job of another tenant is
    /// not found (tenant tokens see only their own jobs).
    public func job(_ conn: Connection, id: Int64, tenantID: String? = nil) throws -> JobDetail {
        let rows = try conn.query("""
            SELECT \(JobRecord.columns) FROM jobs j WHERE j.id = $1 AND ($2::text IS NULL OR j.tenant_id = $2::text)
            """, [id.postgresValue, tenantID.map { .text($0) }])
        guard let row = rows.first else { throw QueueError(.notFound, "no job \(id)") }
        let events = try conn.query("""
            SELECT id, job_id, attempt, event, at, started_at, duration_ms, worker, actor, error
              FROM job_events WHERE job_id = $1 ORDER BY id
            """, id).map { try JobEvent(row: $0) }
        let job = try JobRecord(row: row)
        var history = events
        // A successful attempt is recorded on the row itself (see QueueSQL.finish); show it as
        // the last event so the history reads the same for every outcome.
        if job.state == .completed, let finished = job.finishedAt {
            history.append(JobEvent(
                id: 0, jobID: job.id, attempt: job.attempt, event: "completed", at: finished,
                startedAt: job.attemptedAt, durationMs: job.attemptedAt.map { finished.timeIntervalSince($0) * 1000 },
                worker: job.owner, actor: nil, error: nil))
        }
        return JobDetail(job: job, events: history)
    }

    /// Runs a finished (completed, discarded or cancelled) job again: back to available with the
    /// same payload and dedup key and a fresh attempt budget, recording `actor`. Fails with
    /// `job_dedup_conflict` if a live job already holds the dedup key, and `job_invalid_state`
    /// for an unfinished job.
    @discardableResult
    public func replay(_ conn: Connection, id: Int64, actor: String, tenantID: String? = nil) throws -> JobRecord {
        do {
            return try conn.transaction { conn in
                let rows = try conn.query("""
                    UPDATE jobs j SET state = 'available', run_at = now(), finished_at = NULL,
                           max_attempts = j.attempt + $3, cancel_requested = false, progress = NULL,
                           owner = NULL, lease_until = NULL
                     WHERE j.id = $1 AND ($2::text IS NULL OR j.tenant_id = $2::text)
                       AND j.state IN ('completed', 'discarded', 'cancelled')
                    RETURNING \(JobRecord.columns)
                    """, [id.postgresValue, tenantID.map { .text($0) }, .text(String(maxAttemptsForReplay(conn, id)))])
                guard let row = rows.first else { throw try missingOrState(conn, id: id, tenantID: tenantID, action: "replay") }
                let job = try JobRecord(row: row)
                try conn.execute("INSERT INTO job_events (job_id, attempt, event, actor) VALUES ($1, $2, 'replayed', $3)",
                                 id, job.attempt, actor)
                try wake(conn)
                return job
            }
        } catch let error as PostgresError where error.isUniqueViolation {
            throw QueueError(.dedupConflict, "job \(id) cannot be replayed: a live job holds its dedup key")
        }
    }

    /// Cancels a job: an unstarted one becomes `cancelled` at once; a running one gets
    /// `cancel_requested`, which its handler sees through `JobContext.isCancelled` within a
    /// heartbeat (it becomes `cancelled` if the handler then throws). Returns the job after.
    @discardableResult
    public func cancel(_ conn: Connection, id: Int64, actor: String, tenantID: String? = nil) throws -> JobRecord {
        try conn.transaction { conn in
            let rows = try conn.query("""
                UPDATE jobs j SET cancel_requested = true,
                       state = CASE WHEN j.state = 'running' THEN 'running' ELSE 'cancelled' END,
                       finished_at = CASE WHEN j.state = 'running' THEN NULL ELSE now() END
                 WHERE j.id = $1 AND ($2::text IS NULL OR j.tenant_id = $2::text)
                   AND j.state IN \(QueueSQL.unfinished)
                RETURNING \(JobRecord.columns)
                """, [id.postgresValue, tenantID.map { .text($0) }])
            guard let row = rows.first else { throw try missingOrState(conn, id: id, tenantID: tenantID, action: "cancel") }
            let job = try JobRecord(row: row)
            try conn.execute("INSERT INTO job_events (job_id, attempt, event, actor) VALUES ($1, $2, $3, $4)",
                             id, job.attempt, job.state == .running ? "cancel_requested" : "cancelled", actor)
            return job
        }
    }

    private func maxAttemptsForReplay(_ conn: Connection, _ id: Int64) -> Int {
        guard let kind = try? conn.query("SELECT kind FROM jobs WHERE id = $1", id).first?.decode(0, as: String.self)
        else { return defaultMaxAttempts }
        return maxAttempts(kind)
    }

    private func missingOrState(_ conn: Connection, id: Int64, tenantID: String?, action: String) throws -> QueueError {
        let rows = try conn.query("SELECT state FROM jobs WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2::text)",
                                  [id.postgresValue, tenantID.map { .text($0) }])
        guard let state: String = try rows.first?.decode(0) else { return QueueError(.notFound, "no job \(id)") }
        return QueueError(.invalidState, "job \(id) is \(state); cannot \(action) it")
    }
}
