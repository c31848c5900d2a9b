import Foundation
import TestSupport
import HTTPClient
import Testing

@Suite("HTTPClient requests against a real Python server")
struct HTTPClientRequestTests {
    @Test func aGetSendsHeadersAndReturnsStatusHeadersAndBody() async throws {
        let server = try await PythonTestServer.start("echo")
        defer { server.stop() }
        let request = HTTPRequest(url: server.baseURL + "/items?page=2", headers: ["X-Tenant": "contoso", "Accept": "application/json"])

        let response = try #require(try await send(request).response)

        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.headers.values(for: "x-multi") == ["one", "two"])
        let echo = try Echo(response)
        #expect(echo.method == "GET")
        #expect(echo.path == "/items?page=2")
        #expect(echo.header("X-Tenant") == "contoso")
        #expect(echo.header("Accept") == "application/json")
        #expect(echo.header("Authorization") == nil)
        #expect(response.timing.totalMs > 0)
        #expect(response.timing.firstByteMs <= response.timing.totalMs)
    }

    @Test func aPostBodyArrivesByteForByteWithItsContentType() async throws {
        let server = try await PythonTestServer.start("echo")
        defer { server.stop() }
        let json = #"{"Payload": {"DocumentNumber": "INV-1", "Name": "Zoë, Inc. (EU)"}}"#
        let request = HTTPRequest(method: .post, url: server.baseURL + "/Sales/Receivables/Transactions",
                                  headers: ["Content-Type": "application/json"], body: Array(json.utf8))

        let response = try #require(try await send(request).response)

        let echo = try Echo(response)
        #expect(echo.method == "POST")
        #expect(echo.body == json)
        #expect(echo.header("Content-Type") == "application/json")
        #expect(echo.header("Content-Length") == String(json.utf8.count))
        #expect(echo.header("Expect") == nil)
    }

    @Test func aBodyWithoutContentTypeIsNotLabelledAsAForm() async throws {
        let server = try await PythonTestServer.start("echo")
        defer { server.stop() }
        let request = HTTPRequest(method: .post, url: server.baseURL + "/", body: Array("raw".utf8))

        let echo = try Echo(try #require(try await send(request).response))

        #expect(echo.body == "raw")
        #expect(echo.header("Content-Type") == nil)
    }

    @Test(arguments: [HTTPMethod.put, .patch, .delete])
    func otherMethodsAreSentWithTheirBody(method: HTTPMethod) async throws {
        let server = try await PythonTestServer.start("echo")
        defer { server.stop() }
        let request = HTTPRequest(method: method, url: server.baseURL + "/x", headers: ["Content-Type": "text/plain"],
                                  body: Array("body of \(method)".utf8))

        let echo = try Echo(try #require(try await send(request).response))

        #expect(echo.method == method.rawValue)
        #expect(echo.body == "body of \(method)")
    }

    @Test func aPostWithAnEmptyBodySendsContentLengthZero() async throws {
        let server = try await PythonTestServer.start("echo")
        defer { server.stop() }

        let echo = try Echo(try #require(try await send(HTTPRequest(method: .post, url: server.baseURL + "/")).response))

        #expect(echo.method == "POST")
        #expect(echo.header("Content-Length") == "0")
    }

    @Test func headReturnsHeadersWithoutABody() async throws {
        let server = try await PythonTestServer.start("echo")
        defer { server.stop() }

        let response = try #require(try await send(HTTPRequest(method: .head, url: server.baseURL + "/")).response)

        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(response.headers["Content-Length"] != nil)
    }

    @Test func basicAuthSendsTheStandardAuthorizationHeader() async throws {
        let server = try await PythonTestServer.start("echo")
        defer { server.stop() }
        let request = HTTPRequest(url: server.baseURL + "/", auth: .basic(user: "gp-user", password: "pä:ss word"))

        let echo = try Echo(try #require(try await send(request).response))

        let expected = "Basic " + Data("gp-user:pä:ss word".utf8).base64EncodedString()
        #expect(echo.header("Authorization") == expected)
    }

    @Test func bearerAuthSendsTheToken() async throws {
        let server = try await PythonTestServer.start("echo")
        defer { server.stop() }
        let request = HTTPRequest(url: server.baseURL + "/", auth: .bearer(token: "ims-token-123"))

        let echo = try Echo(try #require(try await send(request).response))

        #expect(echo.header("Authorization") == "Bearer ims-token-123")
    }

    @Test func twoRequestsOnOneClientShareOneTCPConnection() async throws {
        let server = try await PythonTestServer.start("echo")
        defer { server.stop() }
        let first = HTTPRequest(url: server.baseURL + "/one")
        let second = HTTPRequest(method: .post, url: server.baseURL + "/two", body: Array("x".utf8))

        let results = try await send([first, second])

        let a = try #require(results[0].response), b = try #require(results[1].response)
        let echoA = try Echo(a), echoB = try Echo(b)
        #expect(echoA.connection == echoB.connection)
        #expect(echoB.connections == 1)
        #expect(a.connectionsOpened == 1)
        #expect(b.connectionsOpened == 0)
    }

    @Test func redirectsAreReturnedNotFollowedByDefault() async throws {
        let server = try await PythonTestServer.start("echo")
        defer { server.stop() }

        let response = try #require(try await send(HTTPRequest(url: server.baseURL + "/redirect")).response)

        #expect(response.status == 302)
        #expect(response.headers["Location"] == "/elsewhere")
    }

    @Test func redirectsAreFollowedWhenAllowed() async throws {
        let server = try await PythonTestServer.start("echo")
        defer { server.stop() }

        let response = try #require(try await send(HTTPRequest(url: server.baseURL + "/redirect", maxRedirects: 2)).response)

        #expect(response.status == 200)
        #expect(try Echo(response).path == "/elsewhere")
    }

    @Test func errorStatusesAreResponsesNotErrors() async throws {
        let server = try await PythonTestServer.start("echo")
        defer { server.stop() }

        let results = try await send([HTTPRequest(url: server.baseURL + "/status/404"),
                                      HTTPRequest(url: server.baseURL + "/status/503")])

        #expect(results.map { $0.response?.status } == [404, 503])
    }

    @Test func anExplicitProxyReceivesTheRequestInAbsoluteForm() async throws {
        let proxy = try await PythonTestServer.start("proxy")
        defer { proxy.stop() }
        let request = HTTPRequest(url: "http://gp.contoso.local/GPService/Tenants(DefaultTenant)/",
                                  proxy: .url(proxy.baseURL))

        let echo = try Echo(try #require(try await send(request).response))

        #expect(echo.proxied == true)
        #expect(echo.path == "http://gp.contoso.local/GPService/Tenants(DefaultTenant)/")
    }

    @Test func hostsInTheNoProxyListAreReachedDirectly() async throws {
        let proxy = try await PythonTestServer.start("proxy")
        let server = try await PythonTestServer.start("echo")
        defer { proxy.stop(); server.stop() }
        let request = HTTPRequest(url: server.baseURL + "/direct", proxy: .url(proxy.baseURL, noProxy: "localhost,127.0.0.1"))

        let echo = try Echo(try #require(try await send(request).response))

        #expect(echo.proxied == nil)
        #expect(echo.path == "/direct")
    }
}
