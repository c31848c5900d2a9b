import Foundation
import Testing
@testable import Connector

/// `gp.agent_credentials`: whose GP credentials an agent tenant's local agent uses. `agent`
/// (default) needs none on the server; `server` needs the stored user and password.
@Suite struct TenantAgentCredentialsValidatorTests {
    let v = Fixtures.validator

    func issues(_ doc: DocumentValue, kept: Set<SecretField> = []) -> [FieldIssue] {
        do {
            _ = try v.validate(doc, keptSecrets: kept)
            return []
        } catch {
            return error.issues
        }
    }

    var agentTenant: DocumentValue {
        Fixtures.tenantDocument().setting("gp.connection", .string("agent")).setting("gp.username", nil).setting("gp.password", nil)
    }

    @Test func theDefaultIsTheAgentsOwnCredentialsAndTheStoredDocumentSaysSo() throws {
        let t = try v.validate(agentTenant, keptSecrets: [])
        #expect(t.settings.gp.agentCredentials == .agent)
        #expect(t.settings.document.value(at: "gp.agent_credentials") == .string("agent"))
        let again = try v.validate(t.settings.document, keptSecrets: t.secretFields)
        #expect(again.settings == t.settings)
    }

    @Test func serverModeWithStoredCredentialsIsValidAndKeepsThePasswordSealedApart() throws {
        let doc = Fixtures.tenantDocument().setting("gp.connection", .string("agent")).setting("gp.agent_credentials", .string("server"))
        let t = try v.validate(doc, keptSecrets: [])
        #expect(t.settings.gp.agentCredentials == .server)
        #expect(t.newSecrets[.gpPassword] == Fixtures.gpPassword)
        let stored = String(decoding: t.settings.document.jsonData(), as: UTF8.self)
        #expect(!stored.contains(Fixtures.gpPassword))
        let again = try v.validate(t.settings.document, keptSecrets: t.secretFields)
        #expect(again.settings.gp.agentCredentials == .server)
    }

    @Test func serverModeWithoutAStoredUserOrPasswordNamesBothFieldsAndWhy() {
        let found = issues(agentTenant.setting("gp.agent_credentials", .string("server")))
        #expect(found.map(\.field).sorted() == ["gp.password", "gp.username"])
        #expect(found.allSatisfy { $0.code == "required" && $0.message.contains("gp.agent_credentials is server") })
    }

    @Test func serverModeAcceptsAPasswordKeptFromBefore() throws {
        let doc = agentTenant.setting("gp.agent_credentials", .string("server")).setting("gp.username", .string("CONTOSO\\svc-gp"))
        #expect(issues(doc).map(\.field) == ["gp.password"])
        let t = try v.validate(doc, keptSecrets: [.gpPassword])
        #expect(t.secretFields.contains(.gpPassword))
    }

    @Test func anUnknownModeOrWrongTypeIsRefusedByName() {
        #expect(issues(agentTenant.setting("gp.agent_credentials", .string("both"))).map(\.code) == ["invalid_choice"])
        #expect(issues(agentTenant.setting("gp.agent_credentials", .bool(true))).map(\.field) == ["gp.agent_credentials"])
    }

    @Test func serverModeOnADirectTenantIsAllowedAndChangesNothing() throws {
        let t = try v.validate(Fixtures.tenantDocument().setting("gp.agent_credentials", .string("server")), keptSecrets: [])
        #expect(t.settings.gp.connection == .direct)
        #expect(t.settings.gp.agentCredentials == .server)
    }
}

/// The heartbeat reply's credentials never show the password when printed.
@Suite struct AgentGPCredentialsPrintingTests {
    @Test func printingAReplyOrItsCredentialsNeverShowsThePassword() {
        let password = "Pr1nt-me-n0t!"
        let reply = AgentHeartbeatReply(companyURL: "https://gp/x/", gpAuth: "ntlm", heartbeatSeconds: 10,
                                        credentials: AgentGPCredentials(source: .server, username: "DEMO\\svc", password: password))
        var dumped = ""
        dump(reply, to: &dumped)
        for text in [String(describing: reply), String(reflecting: reply), "\(reply)", dumped,
                     String(describing: reply.credentials!), String(reflecting: reply.credentials)] {
            #expect(!text.contains(password), "\(text)")
            #expect(text.contains("DEMO\\svc"))
        }
        #expect(String(describing: reply).contains("<redacted>"))
        // The wire form does carry it: that is the one place it goes.
        let json = String(decoding: try! JSONEncoder().encode(reply), as: UTF8.self)
        #expect(json.contains(password))
        #expect(json.contains(#""source":"server""#))
    }
}
