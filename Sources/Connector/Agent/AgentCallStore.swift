import Foundation
import GP
import Postgres

/// The SQL of the relay's `agent_calls` table (Schema/005_agent.sql). Every transition is one
/// guarded statement, so concurrent server processes, relays and agents never disagree about a
/// call: only a `queued` call can be taken or expire, only a `taken` one can get a result or be
/// lost. Each NOTIFY goes out in the statement that made it true.
public struct AgentCallStore: Sendable {
    public init() {}

    /// Where one call stands, as its waiting relay sees it.
    public enum Standing: Sendable, Equatable {
        case queued(pickupOverdue: Bool)
        case taken(leaseOverdue: Bool, secondsTaken: Double)
        case answered(GPResponse)
        case failed(AgentCallError)
        /// Expired or lost: the relay gave up on it.
        case abandoned(state: String)
        case missing
    }

    /// Queues `request` for `tenant`'s agent and wakes the tenant's waiting polls. Any
    /// `Authorization` header is dropped: the agent authenticates with its own credentials.
    public func enqueue(_ conn: Connection, tenant: String, request: GPRequest, pickupSeconds: Double) throws -> String {
        let headers = request.headers.filter { $0.name.lowercased() != "authorization" }
        let row = try conn.queryCached("""
            WITH ins AS (
                INSERT INTO agent_calls (tenant_id, method, url, headers, body, timeout_s, pickup_by)
                VALUES ($1, $2, $3, $4::jsonb, $5, $6, now() + make_interval(secs => $7))
                RETURNING id)
            SELECT id::text AS id, pg_notify('\(AgentSignals.callsChannel)', $1) FROM ins
            """, [.text(tenant), .text(request.method), .text(request.url), try .json(headers),
                  request.body.map { .bytea($0) }, request.timeout.postgresValue, pickupSeconds.postgresValue])
        return try row[0].decode("id")
    }

    public func standing(_ conn: Connection, id: String) throws -> Standing {
        guard let row = try conn.queryCached("""
            SELECT state, pickup_by < now() AS pickup_overdue, lease_until < now() AS lease_overdue,
                   extract(epoch FROM now() - taken_at)::float8 AS taken_for,
                   status, response_headers::text AS response_headers, response_body, duration_s, error_code, error_message
              FROM agent_calls WHERE id = $1::uuid
            """, [.text(id)]).first else { return .missing }
        let state: String = try row.decode("state")
        switch state {
        case "queued":
            return .queued(pickupOverdue: try row.decode("pickup_overdue"))
        case "taken":
            return .taken(leaseOverdue: try row.decode("lease_overdue", as: Bool?.self) ?? false,
                          secondsTaken: try row.decode("taken_for", as: Double?.self) ?? 0)
        case "done":
            let headers = try row.decode("response_headers", as: String?.self)
                .map { try JSONDecoder().decode([GPHeader].self, from: Data($0.utf8)) } ?? []
            return .answered(GPResponse(status: try row.decode("status"), headers: headers,
                                        body: try row.decode("response_body", as: Data?.self) ?? Data(),
                                        duration: try row.decode("duration_s", as: Double?.self) ?? 0))
        case "failed":
            return .failed(AgentCallError(code: try row.decode("error_code", as: String?.self) ?? "gp_unreachable",
                                          detail: try row.decode("error_message", as: String?.self) ?? ""))
        default:
            return .abandoned(state: state)
        }
    }

    /// `queued` → `expired` once its pickup time passed; false when an agent took it meanwhile.
    public func expireUntaken(_ conn: Connection, id: String) throws -> Bool {
        try conn.queryCached("""
            UPDATE agent_calls SET state = 'expired', finished_at = now(), body = NULL
             WHERE id = $1::uuid AND state = 'queued' AND pickup_by < now()
            """, [.text(id)]).rowsAffected == 1
    }

    /// `taken` → `lost` (the lease ran out, or `force` because the call is past its own timeout);
    /// false when its result arrived meanwhile.
    public func loseTaken(_ conn: Connection, id: String, force: Bool) throws -> Bool {
        try conn.queryCached("""
            UPDATE agent_calls SET state = 'lost', finished_at = now(), body = NULL
             WHERE id = $1::uuid AND state = 'taken' AND ($2 OR lease_until < now())
            """, [.text(id), force.postgresValue]).rowsAffected == 1
    }

    /// Takes up to `max` of `tenant`'s queued calls, oldest first, for `leaseSeconds`.
    public func take(_ conn: Connection, tenant: String, max: Int, leaseSeconds: Double, agent: String) throws -> [AgentCall] {
        try conn.queryCached("""
            WITH c AS MATERIALIZED (
                SELECT id FROM agent_calls
                 WHERE tenant_id = $1 AND state = 'queued' AND pickup_by > now()
                 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
            UPDATE agent_calls a
               SET state = 'taken', taken_at = now(), taken_by = $4, lease_until = now() + make_interval(secs => $3)
              FROM c WHERE a.id = c.id
            RETURNING a.id::text AS id, a.method, a.url, a.headers::text AS headers, a.body, a.timeout_s, a.created_at
            """, [.text(tenant), max.postgresValue, leaseSeconds.postgresValue, .text(agent)])
            .map { row in
                (try row.decode("created_at", as: Date.self),
                 AgentCall(id: try row.decode("id"), method: try row.decode("method"), url: try row.decode("url"),
                           headers: try row.decodeJSON("headers", as: [GPHeader].self),
                           body: try row.decode("body", as: Data?.self), timeout: try row.decode("timeout_s")))
            }
            // RETURNING keeps no order: the oldest call first, as claimed.
            .sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Stores an agent's result for a call of `tenant` and wakes its waiting relay. Only a
    /// `taken` call changes, so the first result counts and any repeat is a `duplicate`.
    public func store(_ conn: Connection, tenant: String, _ result: AgentResult) throws -> AgentResultOutcome {
        guard UUID(uuidString: result.id) != nil else { return .unknown }
        let stored = try conn.queryCached("""
            UPDATE agent_calls
               SET state = CASE WHEN $3::text IS NULL THEN 'done' ELSE 'failed' END,
                   status = $4, response_headers = $5::jsonb, response_body = $6, duration_s = $7,
                   error_code = $3, error_message = $8, finished_at = now(), body = NULL
             WHERE id = $1::uuid AND tenant_id = $2 AND state = 'taken'
            RETURNING pg_notify('\(AgentSignals.resultsChannel)', id::text)
            """, [.text(result.id), .text(tenant), result.error.map { .text($0.code) }, result.status?.postgresValue,
                  try result.headers.map { try .json($0) }, result.body.map { .bytea($0) },
                  result.duration?.postgresValue, result.error.map { .text($0.detail) }])
        if stored.rowsAffected == 1 { return .accepted }
        guard let row = try conn.queryCached("SELECT state FROM agent_calls WHERE id = $1::uuid AND tenant_id = $2",
                                             [.text(result.id), .text(tenant)]).first else { return .unknown }
        switch try row.decode("state", as: String.self) {
        case "done", "failed": return .duplicate
        case "expired", "lost": return .expired
        default: return .unknown
        }
    }

    /// Extends the leases of `ids` (calls of `tenant` its agent is still working on).
    @discardableResult
    public func extendLeases(_ conn: Connection, tenant: String, ids: [String], leaseSeconds: Double) throws -> Int {
        let valid = ids.filter { UUID(uuidString: $0) != nil }
        guard !valid.isEmpty else { return 0 }
        return try conn.queryCached("""
            UPDATE agent_calls SET lease_until = now() + make_interval(secs => $3)
             WHERE tenant_id = $1 AND state = 'taken' AND id = ANY($2::uuid[])
            """, [.text(tenant), .array(valid), leaseSeconds.postgresValue]).rowsAffected
    }

    /// Deletes calls finished more than `seconds` ago.
    @discardableResult
    public func prune(_ conn: Connection, finishedBefore seconds: Double) throws -> Int {
        try conn.queryCached("DELETE FROM agent_calls WHERE finished_at < now() - make_interval(secs => $1)",
                             [seconds.postgresValue]).rowsAffected
    }
}
