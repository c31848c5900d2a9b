import Commerce
import Foundation
import GP
import HTTPServer
import Postgres
import Simulators

/// Both simulators on loopback ports, a fresh records database, and clients pointed at them.
final class ConnectedSystems: @unchecked Sendable {
    static let user = "CONTOSO\\svc-gp"
    static let password = "s3cret-Pa55"

    let gp: GPSimulator
    let commerce: CommerceSimulator
    let conninfo: String

    init(_ label: String, seed: GPSimulatorSeed, today: String? = nil) throws {
        var config = GPSimulatorConfiguration()
        config.users = [Self.user: Self.password]
        config.today = today
        gp = try GPSimulator(configuration: config, seed: seed)
        try gp.start(host: "127.0.0.1", port: 0)
        commerce = try CommerceSimulator(config: CommerceSimulatorConfig())
        try commerce.start()
        conninfo = try FlowsDatabase.connectionInfo(label)
    }

    deinit {
        gp.stop()
        commerce.stop()
    }

    func gpClient(tenant: String = "acme") throws -> GPClient {
        GPClient(company: try GPCompany(url: gp.companyURL(company: "Fabrikam, Inc.")), settings: GPSettings(),
                 transport: GPDirectTransport(auth: .basic(user: Self.user, password: Self.password)), tenant: tenant)
    }

    func commerceClient(tenant: String = "acme") -> CommerceClient {
        let i = CommerceSimulatorConfig.defaultIntegration
        return CommerceClient(
            tenant: tenant,
            settings: CommerceSettings(baseURL: commerce.baseURL, flavour: .paas(storeCode: "default"), auth: .oauth1(
                OAuth1Credentials(consumerKey: i.consumerKey, consumerSecret: i.consumerSecret,
                                  accessToken: i.accessToken, accessTokenSecret: i.accessTokenSecret))),
            transport: CommerceHTTPClientTransport(proxy: .direct), tokenCache: IMSTokenCache())
    }

    var commerceRequests: Int { commerce.stats["requests"] ?? 0 }
}
