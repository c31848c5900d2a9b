import TestSupport
import HTTPClient
import Testing

/// libcurl here uses GSS-API for Negotiate, which needs a Kerberos ticket; none exists in tests.
@Suite("HTTPClient Negotiate without a Kerberos ticket")
struct HTTPClientNegotiateTests {
    @Test func withoutATicketTheServers401IsTheResponse() async throws {
        let server = try await PythonTestServer.start("negotiate")
        defer { server.stop() }
        let request = HTTPRequest(url: server.baseURL + "/", auth: .negotiate(user: #"CONTOSO\svc-gp"#, password: "pw"))

        let response = try #require(try await send(request).response)

        #expect(response.status == 401)
        #expect(response.headers["WWW-Authenticate"] == "Negotiate")
    }
}
