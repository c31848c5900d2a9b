import Connector
import Foundation
import TestSupport
import Simulators
import Testing

/// `LiveTenantProbe` against the simulators over real sockets, and against a port nobody listens on.
@Suite(.serialized) struct LiveTenantProbeTests {
    @Test func bothSystemsAnswerOkWithTheTenantsCredentials() async throws {
        let world = try RuntimeWorld("probe_ok", seed: GPSimulatorSeed(functionalCurrency: "USD"))
        let (gp, commerce) = try await onThread {
            let tenant = try world.register()
            let secrets = try world.tenants.secrets(of: tenant.id)
            return (LiveTenantProbe().pingGP(tenant, secrets: secrets), LiveTenantProbe().pingCommerce(tenant, secrets: secrets))
        }
        #expect(gp.status == .ok, "\(gp.message)")
        #expect(commerce.status == .ok, "\(commerce.message)")
    }

    @Test func aDeadPortIsReportedAsConnectionRefused() async throws {
        let world = try RuntimeWorld("probe_dead", seed: GPSimulatorSeed(functionalCurrency: "USD"))
        let dead = try GPSimulator()
        let port = try dead.start(host: "127.0.0.1", port: 0)
        dead.stop()
        let (gp, commerce) = try await onThread {
            let tenant = try world.register(gpURL: "http://127.0.0.1:\(port)/GPService/Tenants(DefaultTenant)/Companies(Fabrikam)/",
                                            commerceURL: "http://127.0.0.1:\(port)")
            let secrets = try world.tenants.secrets(of: tenant.id)
            return (LiveTenantProbe().pingGP(tenant, secrets: secrets), LiveTenantProbe().pingCommerce(tenant, secrets: secrets))
        }
        #expect(gp.status == .connectionRefused, "\(gp.message)")
        #expect(commerce.status == .connectionRefused, "\(commerce.message)")
        #expect(!gp.message.contains(RuntimeWorld.gpPassword))
    }

    @Test func aWrongPasswordIsReportedAsUnauthorized() async throws {
        let world = try RuntimeWorld("probe_401", seed: GPSimulatorSeed(functionalCurrency: "USD"))
        let gp = try await onThread {
            let tenant = try world.register()
            var secrets = try world.tenants.secrets(of: tenant.id)
            secrets.values[.gpPassword] = "wrong-password"
            return LiveTenantProbe().pingGP(tenant, secrets: secrets)
        }
        #expect(gp.status == .unauthorized, "\(gp.message)")
        #expect(gp.httpStatus == 401)
    }
}
