import Commerce
import HTTPClient
import Foundation
import Testing
@testable import Simulators

/// IMS against the simulator's token endpoint: shared per tenant, refreshed ahead of expiry,
/// a 401 refreshes once and retries once.
@Suite struct IMSTokenCacheTests {
    @Test func manyThreadsShareOneTokenFetch() throws {
        let f = try SimFixture()
        let client = f.saasClient()
        let group = DispatchGroup()
        final class Failures: @unchecked Sendable { let lock = NSLock(); var errors: [String] = [] }
        let failures = Failures()
        for _ in 0..<16 {
            group.enter()
            Thread {
                do { _ = try client.product(sku: "none") } catch {
                    failures.lock.withLock { failures.errors.append("\(error)") }
                }
                group.leave()
            }.start()
        }
        group.wait()
        #expect(failures.errors.isEmpty)
        #expect(f.sim.imsTokensIssued == 1)
        #expect(f.cache.fetchCount == 1)
    }

    @Test func tokensAreRefreshedAheadOfExpiry() throws {
        let f = try SimFixture(CommerceSimulatorConfig(imsTokenExpiresIn: 4))
        let client = f.saasClient()
        _ = try client.product(sku: "a")
        _ = try client.product(sku: "a")
        #expect(f.sim.imsTokensIssued == 1)
        // Lifetime 4 s, margin capped at half of it: after 2.2 s the cache fetches a new token
        // before the old one has expired, so no call ever sees a 401.
        Thread.sleep(forTimeInterval: 2.2)
        _ = try client.product(sku: "a")
        #expect(f.sim.imsTokensIssued == 2)
        #expect(f.sim.stats["requests"] == 3)
    }

    @Test func a401RefreshesTheTokenOnceAndRetriesOnce() throws {
        let f = try SimFixture()
        let client = f.saasClient()
        _ = try client.product(sku: "a")
        f.sim.revokeIMSTokens()
        _ = try client.product(sku: "a")
        #expect(f.sim.imsTokensIssued == 2)
        #expect(f.sim.stats["requests"] == 3)  // ok, 401, retry ok
    }

    @Test func aPersistent401IsReportedAfterOneRetry() throws {
        let f = try SimFixture(CommerceSimulatorConfig(imsTokenExpiresIn: 0))
        let client = f.saasClient()
        #expect(throws: CommerceError.self) { try client.product(sku: "a") }
        #expect(f.sim.imsTokensIssued == 2)
        #expect(f.sim.stats["requests"] == 2)
    }

    @Test func badClientSecretIsAPlainIMSError() throws {
        let f = try SimFixture()
        var creds = f.imsCredentials
        creds.clientSecret = "wrong"
        let client = CommerceClient(tenant: "t9", settings: CommerceSettings(baseURL: f.sim.baseURL,
                                    flavour: .saas(tenantId: "x", store: "default"), auth: .ims(creds)),
                                    transport: CommerceHTTPClientTransport(proxy: .direct), tokenCache: f.cache)
        #expect {
            try client.product(sku: "a")
        } throws: { error in
            guard let e = error as? CommerceError, case .imsToken(let message) = e else { return false }
            return message.contains("401") && !message.contains("wrong")
        }
    }
}
