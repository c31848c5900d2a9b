import Connector
import Foundation
import GP
import Testing

/// The agent protocol's plain values: JSON spellings and how the agent's transport errors come
/// back as `GPError`s on the server.
struct AgentWireTests {
    @Test(arguments: [
        GPError.timeout(seconds: 120), .unreachable(detail: "could not connect to gp.local:443"),
        .tlsFailed(detail: "certificate has expired"), .badResponse(detail: "too large"), .invalidRequest("bad header"),
    ])
    func anAgentsTransportErrorKeepsItsCodeAndRetryabilityOnTheServer(_ error: GPError) throws {
        let wire = try JSONDecoder().decode(AgentCallError.self, from: JSONEncoder().encode(AgentCallError(error)))
        #expect(wire.gpError.code == error.code)
        #expect(wire.gpError.isRetryable == error.isRetryable)
    }

    @Test func anErrorCodeTheServerDoesNotKnowStaysRetryable() {
        let error = AgentCallError(code: "gp_something_new", detail: "from a newer agent").gpError
        #expect(error.isRetryable)
        #expect(error.message.contains("gp_something_new"))
    }

    @Test func aCallTravelsWithItsBodyInBase64AndSnakeCaseKeys() throws {
        let call = AgentCall(id: "0b6f3a52-8d0e-4f57-a4e8-2c1d7d0b9e11", method: "POST", url: "https://gp.local/x",
                             headers: [GPHeader("Accept", "application/json")], body: Data("{\"Payload\":{}}".utf8), timeout: 120)
        let json = try #require(String(data: JSONEncoder().encode(call), encoding: .utf8))
        #expect(json.contains("\"body_base64\":\"eyJQYXlsb2FkIjp7fX0=\""))
        #expect(json.contains("\"timeout_s\":120"))
        #expect(try JSONDecoder().decode(AgentCall.self, from: Data(json.utf8)) == call)
    }

    @Test func anAgentOfflineErrorIsRetryableAndSaysWhatToCheck() {
        let error = GPError.agentOffline(detail: "no agent took the call within 30 seconds")
        #expect(error.code == "gp_agent_offline")
        #expect(error.isRetryable)
        #expect(error.suggestedFix.contains("ml-connector agent"))
    }
}
