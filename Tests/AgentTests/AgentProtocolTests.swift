import API
import Connector
import Foundation
import GP
import HTTPServer
import Postgres
import Queue
import TestSupport
import Testing

/// The agent endpoints and the relay, driven directly over HTTP and SQL (no agent process):
/// token scoping, idempotent results, offline agents, long polls that hold no connection.
@Suite(.serialized) struct AgentProtocolTests {
    static func enqueue(_ world: AgentWorld, _ tenant: Tenant, url: String = "http://gp.invalid/help") throws -> String {
        try world.pool.withConnection {
            try AgentCallStore().enqueue($0, tenant: tenant.id.rawValue,
                                         request: GPRequest(method: "GET", url: url, headers: [GPHeader("Authorization", "Basic c2VjcmV0")]),
                                         pickupSeconds: 60)
        }
    }

    static func resultJSON(_ id: String, body: String) -> String {
        #"{"results":[{"id":"\#(id)","status":200,"headers":[{"name":"Content-Type","value":"text/plain"}],"body_base64":"\#(Data(body.utf8).base64EncodedString())","duration_s":0.01}]}"#
    }

    @Test func anAgentTokenReachesOnlyTheAgentEndpointsAndOnlyItsOwnTenantsCalls() async throws {
        let world = try AgentWorld("agent_scope")
        defer { world.stop() }
        let r = try await onThread { () -> [String: Int] in
            let a = try world.registerAgentTenant(name: "Tenant A")
            let b = try world.registerAgentTenant(name: "Tenant B")
            let tokenA = try world.agentToken(a)
            let tenantToken = try world.plane.tokens.issue(scope: .tenant(a.id)).bearer
            let callB = try Self.enqueue(world, b)
            var r: [String: Int] = [:]
            // The control plane refuses an agent token everywhere, its own tenant included.
            r["get_own_tenant"] = try world.request("GET", "/v1/tenants/\(a.id)", token: tokenA).status
            r["list_jobs"] = try world.request("GET", "/v1/jobs", token: tokenA).status
            r["start_sync"] = try world.request("POST", "/v1/tenants/\(a.id)/syncs", token: tokenA, json: #"{"entity":"items"}"#).status
            r["issue_token"] = try world.request("POST", "/v1/tenants/\(a.id)/tokens", token: tokenA, json: #"{"scope":"agent"}"#).status
            // The agent endpoints refuse every other kind of token.
            r["poll_admin"] = try world.request("POST", "/v1/agent/poll", token: world.adminToken, json: #"{"wait_s":0}"#).status
            r["poll_tenant"] = try world.request("POST", "/v1/agent/poll", token: tenantToken, json: #"{"wait_s":0}"#).status
            r["poll_none"] = try world.request("POST", "/v1/agent/poll", token: nil, json: #"{"wait_s":0}"#).status
            // A's agent never sees B's call and cannot answer it.
            let poll = try world.request("POST", "/v1/agent/poll", token: tokenA, json: #"{"wait_s":0,"max_calls":16}"#)
            r["poll_own"] = poll.status
            r["calls_seen"] = (poll.body["calls"] as? [Any])?.count ?? -1
            let answer = try world.request("POST", "/v1/agent/results", token: tokenA, json: Self.resultJSON(callB, body: "forged"))
            r["forged_status"] = answer.status
            r["forged_accepted"] = ((answer.body["results"] as? [[String: Any]])?.first?["outcome"] as? String) == "accepted" ? 1 : 0
            let standing = try world.pool.withConnection { try AgentCallStore().standing($0, id: callB) }
            r["b_still_queued"] = standing == .queued(pickupOverdue: false) ? 1 : 0
            return r
        }
        for key in ["get_own_tenant", "list_jobs", "start_sync", "issue_token", "poll_admin", "poll_tenant"] {
            #expect(r[key] == 403, "\(key): \(r[key] ?? 0)")
        }
        #expect(r["poll_none"] == 401)
        #expect(r["poll_own"] == 200)
        #expect(r["calls_seen"] == 0)
        #expect(r["forged_status"] == 200)
        #expect(r["forged_accepted"] == 0)
        #expect(r["b_still_queued"] == 1)
    }

    @Test func aResultSentTwiceIsAcceptedOnceAndTheFirstOneCounts() async throws {
        let world = try AgentWorld("agent_dup")
        defer { world.stop() }
        let (outcomes, standing, headers) = try await onThread { () -> ([String], AgentCallStore.Standing, String) in
            let tenant = try world.registerAgentTenant()
            let token = try world.agentToken(tenant)
            let id = try Self.enqueue(world, tenant)
            let poll = try world.request("POST", "/v1/agent/poll", token: token, json: #"{"wait_s":1,"max_calls":4}"#)
            let calls = poll.body["calls"] as? [[String: Any]] ?? []
            #expect(calls.map { $0["id"] as? String } == [id])
            var outcomes: [String] = []
            for body in ["first", "second"] {
                let answer = try world.request("POST", "/v1/agent/results", token: token, json: Self.resultJSON(id, body: body))
                outcomes.append(((answer.body["results"] as? [[String: Any]])?.first?["outcome"] as? String) ?? "?")
            }
            // The Authorization header the caller put on the request was never stored.
            let headers: String = try world.pool.withConnection {
                try $0.query("SELECT headers::text AS h FROM agent_calls WHERE id = $1::uuid", id)[0].decode("h")
            }
            return (outcomes, try world.pool.withConnection { try AgentCallStore().standing($0, id: id) }, headers)
        }
        #expect(outcomes == ["accepted", "duplicate"])
        // /metrics counts both results, one of them as a duplicate, and the call the poll handed out.
        let counted = world.relay.counters.snapshot
        #expect(counted.results == 2 && counted.duplicateResults == 1)
        #expect(counted.polls >= 1 && counted.callsHandedOut == 1)
        let metrics = Metrics()
        world.plane.registerMetrics(on: metrics)
        let text = metrics.render()
        #expect(text.contains("mlc_agent_results_duplicate_total 1"))
        #expect(text.contains("mlc_agent_calls_handed_out_total 1"))
        guard case .answered(let response) = standing else { Issue.record("not answered: \(standing)"); return }
        #expect(String(decoding: response.body, as: UTF8.self) == "first")
        #expect(response.status == 200)
        #expect(!headers.lowercased().contains("authorization"))
    }

    @Test func theHeartbeatReplyCarriesTheTenantsSBASettingsForTheAgentsOwnPing() async throws {
        let world = try AgentWorld("agent_sba")
        defer { world.stop() }
        let (pageSize, suffix) = try await onThread { () -> (Int?, Bool?) in
            let tenant = try world.registerAgentTenant()
            _ = try world.plane.tenants.patch(tenant.id, with: try DocumentValue.parse(
                Array(#"{"gp":{"sba":{"page_size":40,"json_suffix":true}}}"#.utf8)))
            let beat = #"{"agent_id":"probe","version":"t","hostname":"h","in_flight":[]}"#
            let reply = try world.request("POST", "/v1/agent/heartbeat", token: try world.agentToken(tenant), json: beat).body
            let sba = reply["gp_sba"] as? [String: Any]
            return (sba?["page_size"] as? Int, sba?["json_suffix"] as? Bool)
        }
        #expect(pageSize == 40)
        #expect(suffix == true)
    }

    @Test func aCallNoAgentTakesFailsAsAgentOfflineWhichTheQueueRetries() async throws {
        let world = try AgentWorld("agent_offline", relayConfig: { $0.pickupSeconds = 1 })
        defer { world.stop() }
        let (error, state, mapped) = try await onThread { () -> (GPError?, String, String) in
            let tenant = try world.registerAgentTenant()
            var caught: GPError?
            do { _ = try world.relay.transport(tenant: tenant.id.rawValue).send(GPRequest(method: "GET", url: "http://gp.invalid/x")) } catch let error as GPError {
                caught = error
            }
            let state: String = try world.pool.withConnection {
                try $0.query("SELECT state FROM agent_calls WHERE tenant_id = $1", tenant.id.rawValue)[0].decode("state")
            }
            return (caught, state, caught.map { "\(FlowFailure.map($0))" } ?? "")
        }
        #expect(error?.code == "gp_agent_offline")
        #expect(error?.isRetryable == true)
        #expect(state == "expired")
        #expect(world.relay.counters.snapshot.calls == 1 && world.relay.counters.snapshot.offline == 1)
        #expect(world.relay.counters.snapshot.answered == 0)
        #expect(mapped.contains("retryable"), "\(mapped)")
    }

    @Test func aTakenCallWhoseAgentStopsHeartbeatingFailsAsAgentOffline() async throws {
        let world = try AgentWorld("agent_lost", relayConfig: { $0.leaseSeconds = 1 })
        defer { world.stop() }
        let (error, state) = try await onThread { () -> (GPError?, String) in
            let tenant = try world.registerAgentTenant()
            let token = try world.agentToken(tenant)
            let box = ErrorBox()
            let sender = Thread {
                do { _ = try world.relay.transport(tenant: tenant.id.rawValue).send(GPRequest(method: "GET", url: "http://gp.invalid/y")) } catch let error as GPError {
                    box.set(error)
                } catch {}
            }
            sender.start()
            // Take the call like an agent, then vanish without a result or a heartbeat.
            let poll = try world.request("POST", "/v1/agent/poll", token: token, json: #"{"wait_s":10,"max_calls":1}"#)
            #expect((poll.body["calls"] as? [Any])?.count == 1)
            _ = try world.waitFor(30) { box.get() != nil }
            let state: String = try world.pool.withConnection {
                try $0.query("SELECT state FROM agent_calls WHERE tenant_id = $1", tenant.id.rawValue)[0].decode("state")
            }
            return (box.get(), state)
        }
        #expect(error?.code == "gp_agent_offline")
        #expect(state == "lost")
    }

    @Test func waitingLongPollsHoldNoDatabaseConnectionAndWakeWhenACallIsQueued() async throws {
        // Two pooled connections, six agents polling: if a waiting poll held a connection, the
        // admin request below could not get one within the pool's 5 s acquire timeout.
        let world = try AgentWorld("agent_longpoll", poolSize: 2, relayConfig: { $0.recheckSeconds = 60 })
        defer { world.stop() }
        let (adminStatus, inUse, woken) = try await onThread { () -> (Int, Int, Int) in
            let tenant = try world.registerAgentTenant()
            let quiet = try world.registerAgentTenant(name: "Quiet tenant")
            let quietToken = try world.agentToken(quiet)
            let token = try world.agentToken(tenant)
            let group = DispatchGroup()
            for _ in 0..<6 {
                group.enter()
                Thread { _ = try? world.request("POST", "/v1/agent/poll", token: quietToken, json: #"{"wait_s":12}"#); group.leave() }.start()
            }
            Thread.sleep(forTimeInterval: 1)
            let inUse = world.pool.stats.inUse
            let admin = try world.request("GET", "/v1/tenants/\(quiet.id)", token: world.adminToken).status
            // A poll woken by NOTIFY: re-checks are 60 s apart, so only the notification can
            // deliver the call before its 20 s wait ends.
            let woken = IntBox()
            group.enter()
            Thread {
                let poll = try? world.request("POST", "/v1/agent/poll", token: token, json: #"{"wait_s":20}"#)
                woken.set((poll?.body["calls"] as? [Any])?.count ?? -1)
                group.leave()
            }.start()
            Thread.sleep(forTimeInterval: 0.5)
            _ = try Self.enqueue(world, tenant)
            group.wait()
            return (admin, inUse, woken.get())
        }
        #expect(inUse == 0)
        #expect(adminStatus == 200)
        #expect(woken == 1)
    }
}

final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: GPError?
    func set(_ e: GPError) { lock.lock(); error = e; lock.unlock() }
    func get() -> GPError? { lock.lock(); defer { lock.unlock() }; return error }
}

final class IntBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func set(_ v: Int) { lock.lock(); value = v; lock.unlock() }
    func get() -> Int { lock.lock(); defer { lock.unlock() }; return value }
}
