import Foundation
import TestSupport
import HTTPClient
import Testing

/// Passwords and tokens never appear in an error, a log line or a request's description.
@Suite("HTTPClient keeps secrets out of errors and logs")
struct HTTPClientSecretTests {
    static let password = "S3cr3t-P@ssw0rd"
    static let token = "eyJ-bearer-token-value"
    /// URL-safe, so the URLs below are well-formed and fail for the intended reason.
    static let urlPassword = "hunter2-url-secret"

    private func expectNoSecret(_ text: String, _ secrets: [String] = [password, token, urlPassword],
                                sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in secrets {
            #expect(!text.contains(secret), "leaked \(secret) in: \(text)", sourceLocation: sourceLocation)
        }
    }

    @Test func credentialsInAuthNeverAppearInTransportErrors() async throws {
        let port = try freePort()
        let capture = LogCapture()
        let requests = [
            HTTPRequest(url: "http://127.0.0.1:\(port)/", auth: .basic(user: "gp", password: Self.password)),
            HTTPRequest(url: "http://127.0.0.1:\(port)/", auth: .ntlm(user: #"CONTOSO\gp"#, password: Self.password)),
            HTTPRequest(url: "http://nonexistent.invalid/", auth: .negotiate(user: "gp", password: Self.password)),
            HTTPRequest(url: "http://127.0.0.1:\(port)/", auth: .bearer(token: Self.token)),
        ]

        let results = try await send(requests, logger: capture.logger())

        for result in results {
            let error = try #require(result.error)
            expectNoSecret(error.description)
            expectNoSecret(String(describing: error))
            expectNoSecret(String(reflecting: error))
        }
        capture.all.forEach { expectNoSecret($0.text) }
    }

    @Test func userinfoInTheURLIsScrubbedFromErrors() async throws {
        let port = try freePort()
        let requests = [
            HTTPRequest(url: "http://alice:\(Self.urlPassword)@127.0.0.1:\(port)/x"),
            HTTPRequest(url: "http://alice:\(Self.urlPassword)@nonexistent.invalid/x"),
            HTTPRequest(url: "htp://alice:\(Self.urlPassword)@example.com/x"),
            HTTPRequest(url: "http://alice:\(Self.urlPassword)@exa mple.com/x"),
            HTTPRequest(url: "http://gp.contoso.local/", proxy: .url("http://proxyuser:\(Self.urlPassword)@127.0.0.1:\(port)")),
            // Not percent-encoded: malformed, and still scrubbed.
            HTTPRequest(url: "http://alice:\(Self.password)@nonexistent.invalid/x"),
        ]

        let results = try await send(requests)

        for result in results {
            let error = try #require(result.error)
            expectNoSecret(error.description)
        }
        #expect(results[0].error?.code == "connection_refused")
        #expect(results[1].error == .dnsFailed(host: "nonexistent.invalid"))
        #expect(results[2].error?.code == "invalid_url")
        #expect(results[4].error?.code == "connection_refused")
    }

    @Test func successfulRequestsLogNeitherCredentialsNorBodies() async throws {
        let server = try await PythonTestServer.start("echo")
        defer { server.stop() }
        let capture = LogCapture()
        let body = "body-text-that-must-not-be-logged"
        let requests = [
            HTTPRequest(method: .post, url: server.baseURL + "/", body: Array(body.utf8), auth: .basic(user: "gp", password: Self.password)),
            HTTPRequest(url: server.baseURL + "/", auth: .bearer(token: Self.token)),
        ]

        let results = try await send(requests, logger: capture.logger())

        #expect(results.allSatisfy { $0.response?.status == 200 })
        #expect(!capture.all.isEmpty)
        capture.all.forEach { expectNoSecret($0.text, [Self.password, Self.token, body, "Authorization"]) }
    }

    @Test func aRequestsDescriptionHidesItsCredentials() {
        let requests = [
            HTTPRequest(url: "https://bob:\(Self.password)@gp.contoso.local/", auth: .ntlm(user: #"CONTOSO\bob"#, password: Self.password)),
            HTTPRequest(url: "https://shop.contoso.com/rest/V1/orders", auth: .bearer(token: Self.token)),
        ]
        for request in requests {
            expectNoSecret(request.description)
            expectNoSecret(String(describing: request.auth))
        }
        #expect(requests[0].description.contains(#"CONTOSO\bob"#))
    }
}
