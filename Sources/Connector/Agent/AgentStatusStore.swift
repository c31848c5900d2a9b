import Foundation
import Postgres

/// The last heartbeat of a tenant's agent (`agent_status`): what `GET /v1/tenants/{tenant}`
/// shows as `agent`.
public struct AgentStatusStore: Sendable {
    public init() {}

    /// A tenant's agent as last heard from.
    public struct Status: Sendable, Equatable {
        public var agentID: String
        public var version: String
        public var hostname: String
        public var lastSeen: Date
        /// The agent's own last GP ping, if it sent one.
        public var gpPing: AgentGPPing?
    }

    /// Records a heartbeat. A heartbeat without a ping keeps the last ping.
    public func record(_ conn: Connection, tenant: String, _ beat: AgentHeartbeat) throws {
        _ = try conn.queryCached("""
            INSERT INTO agent_status (tenant_id, agent_id, version, hostname, last_seen, gp_ping)
            VALUES ($1, $2, $3, $4, now(), $5::jsonb)
            ON CONFLICT (tenant_id) DO UPDATE
               SET agent_id = EXCLUDED.agent_id, version = EXCLUDED.version, hostname = EXCLUDED.hostname,
                   last_seen = now(), gp_ping = COALESCE(EXCLUDED.gp_ping, agent_status.gp_ping)
            """, [.text(tenant), .text(String(beat.agentID.prefix(64))), .text(String(beat.version.prefix(64))),
                  .text(String(beat.hostname.prefix(255))), try beat.gpPing.map { try .json($0) }])
    }

    public func status(_ conn: Connection, tenant: String) throws -> Status? {
        guard let row = try conn.queryCached("""
            SELECT agent_id, version, hostname, last_seen, gp_ping::text AS gp_ping FROM agent_status WHERE tenant_id = $1
            """, [.text(tenant)]).first else { return nil }
        let ping = try row.decode("gp_ping", as: String?.self).flatMap { try? JSONDecoder().decode(AgentGPPing.self, from: Data($0.utf8)) }
        return Status(agentID: try row.decode("agent_id"), version: try row.decode("version"), hostname: try row.decode("hostname"),
                      lastSeen: try row.decode("last_seen"), gpPing: ping)
    }
}
