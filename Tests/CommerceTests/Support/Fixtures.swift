import Commerce
import HTTPClient
import Foundation
@testable import Simulators

/// A running simulator and clients pointed at it.
final class SimFixture: @unchecked Sendable {
    let sim: CommerceSimulator
    let cache = IMSTokenCache()

    init(_ config: CommerceSimulatorConfig = CommerceSimulatorConfig()) throws {
        sim = try CommerceSimulator(config: config)
        try sim.start()
    }

    deinit { sim.stop() }

    static var oauthCredentials: OAuth1Credentials {
        let i = CommerceSimulatorConfig.defaultIntegration
        return OAuth1Credentials(consumerKey: i.consumerKey, consumerSecret: i.consumerSecret,
                                 accessToken: i.accessToken, accessTokenSecret: i.accessTokenSecret)
    }

    var imsCredentials: IMSCredentials {
        let c = CommerceSimulatorConfig.defaultIMSClient
        return IMSCredentials(clientId: c.clientId, clientSecret: c.clientSecret, orgId: "ORG@AdobeOrg",
                              tokenURL: sim.baseURL + "/ims/token/v3")
    }

    func paasClient(tenant: String = "t1", transport: any CommerceTransport = CommerceHTTPClientTransport(proxy: .direct),
                    pageSize: Int = 100) -> CommerceClient {
        CommerceClient(tenant: tenant, settings: CommerceSettings(baseURL: sim.baseURL, flavour: .paas(storeCode: "default"),
                                                                  auth: .oauth1(Self.oauthCredentials), pageSize: pageSize),
                       transport: transport, tokenCache: cache)
    }

    func saasClient(tenant: String = "t1", transport: any CommerceTransport = CommerceHTTPClientTransport(proxy: .direct)) -> CommerceClient {
        CommerceClient(tenant: tenant, settings: CommerceSettings(baseURL: sim.baseURL, flavour: .saas(tenantId: "tenant-abc", store: "default"),
                                                                  auth: .ims(imsCredentials)),
                       transport: transport, tokenCache: cache)
    }

    /// A raw request to the simulator (for status codes and bodies the client would map).
    func raw(_ method: String, _ pathAndQuery: String, headers: [(name: String, value: String)] = [],
             body: String? = nil) throws -> CommerceHTTPResponse {
        try CommerceHTTPClientTransport(proxy: .direct).send(CommerceHTTPRequest(method: method, url: sim.baseURL + pathAndQuery,
                                                           headers: headers, body: body.map { Array($0.utf8) }))
    }
}

func json(_ response: CommerceHTTPResponse) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
}
