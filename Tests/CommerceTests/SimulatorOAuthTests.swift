import Commerce
import Foundation
import Testing
@testable import Simulators

/// The simulator's OAuth verifier behaves like Magento 2.4.4+ (status, message, parameters).
@Suite struct SimulatorOAuthTests {
    static let path = "/rest/default/V1/products?searchCriteria%5BpageSize%5D=1"

    func signed(_ f: SimFixture, method: OAuth1Signer.SignatureMethod = .hmacSHA256, nonce: String? = nil,
                timestamp: Int? = nil, credentials: OAuth1Credentials = SimFixture.oauthCredentials) throws -> String {
        try OAuth1Signer(credentials: credentials, signatureMethod: method)
            .authorizationHeader(method: "GET", url: f.sim.baseURL + Self.path, nonce: nonce, timestamp: timestamp)
    }

    @Test func aValidSignatureIsAccepted() throws {
        let f = try SimFixture()
        #expect(try f.raw("GET", Self.path, headers: [("Authorization", signed(f))]).status == 200)
    }

    @Test func sha1IsRefusedWith400() throws {
        let f = try SimFixture()
        let r = try f.raw("GET", Self.path, headers: [("Authorization", signed(f, method: .hmacSHA1))])
        #expect(r.status == 400)
        #expect(json(r)["message"] as? String == "Signature method %1 is not supported")
        #expect(json(r)["parameters"] as? [String] == ["HMAC-SHA1"])
        #expect(r.header("Content-Type") == "application/json; charset=utf-8")
    }

    @Test func sha1IsAcceptedWhenConfiguredLikeCommerce243() throws {
        let f = try SimFixture(CommerceSimulatorConfig(acceptSHA1: true))
        #expect(try f.raw("GET", Self.path, headers: [("Authorization", signed(f, method: .hmacSHA1))]).status == 200)
    }

    @Test func aReusedNonceIsRefused() throws {
        let f = try SimFixture()
        let header = try signed(f, nonce: "reusednonce0000000000000000000ab")
        #expect(try f.raw("GET", Self.path, headers: [("Authorization", header)]).status == 200)
        let again = try f.raw("GET", Self.path, headers: [("Authorization", header)])
        #expect(again.status == 401)
        #expect(json(again)["message"] as? String == "The nonce is already being used by the consumer with ID %1")
        #expect(json(again)["parameters"] as? [String] == ["1"])
    }

    @Test func timestampsTooFarInTheFutureFailButOldOnesPass() throws {
        let f = try SimFixture()
        let now = Int(Date().timeIntervalSince1970)
        let future = try f.raw("GET", Self.path, headers: [("Authorization", signed(f, timestamp: now + 700))])
        #expect(future.status == 401)
        #expect(json(future)["message"] as? String == "An error occurred validating the nonce")
        // Magento has no lower bound on the timestamp.
        #expect(try f.raw("GET", Self.path, headers: [("Authorization", signed(f, timestamp: now - 86_400))]).status == 200)
    }

    @Test func aTamperedQueryBreaksTheSignature() throws {
        let f = try SimFixture()
        let header = try signed(f)
        let r = try f.raw("GET", "/rest/default/V1/products?searchCriteria%5BpageSize%5D=2", headers: [("Authorization", header)])
        #expect(r.status == 401)
        #expect(json(r)["message"] as? String == "The signature is invalid. Verify and try again.")
    }

    @Test func missingParametersAndShortTokensAre400() throws {
        let f = try SimFixture()
        let missing = try f.raw("GET", Self.path, headers: [("Authorization", "OAuth oauth_consumer_key=\"x\"")])
        #expect(missing.status == 400)
        #expect(json(missing)["parameters"] as? [String: String] == ["fieldName": "oauth_signature"])
        var short = SimFixture.oauthCredentials
        short.accessToken = "short"
        #expect(try f.raw("GET", Self.path, headers: [("Authorization", signed(f, credentials: short))]).status == 400)
    }

    @Test func inactiveIntegrationsAndBearerIntegrationTokensHitTheACL() throws {
        var integration = CommerceSimulatorConfig.defaultIntegration
        integration.active = false
        let f = try SimFixture(CommerceSimulatorConfig(integrations: [integration]))
        let r = try f.raw("GET", Self.path, headers: [("Authorization", signed(f))])
        #expect(r.status == 401)
        #expect(json(r)["message"] as? String == "The consumer isn't authorized to access %resources.")
        let bearer = try f.raw("GET", Self.path, headers: [("Authorization", "Bearer " + integration.accessToken)])
        #expect(bearer.status == 401)
    }

    @Test func unknownRoutesAndMissingSearchCriteriaAnswerLikeMagento() throws {
        let f = try SimFixture()
        let auth = try OAuth1Signer(credentials: SimFixture.oauthCredentials)
            .authorizationHeader(method: "GET", url: f.sim.baseURL + "/rest/default/V1/orders")
        let missing = try f.raw("GET", "/rest/default/V1/orders", headers: [("Authorization", auth)])
        #expect(missing.status == 400)
        #expect(json(missing)["parameters"] as? [String: String] == ["fieldName": "searchCriteria"])
        #expect(try f.raw("GET", "/rest/default/V1/nothing").status == 404)
    }
}
