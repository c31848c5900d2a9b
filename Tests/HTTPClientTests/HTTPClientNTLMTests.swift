import Foundation
import TestSupport
import HTTPClient
import Testing

/// NTLM against an independent implementation: pyspnego's NTLM acceptor behind Python's
/// http.server. The server answers `401 WWW-Authenticate: NTLM`, runs the handshake on one
/// connection and remembers that the connection is authenticated (as IIS does).
@Suite("HTTPClient NTLM against pyspnego's acceptor")
struct HTTPClientNTLMTests {
    static let user = #"CONTOSO\svc-gp"#
    static let password = "Gp-Pa55w0rd!"

    private func startServer() async throws -> ChildServer {
        let python = try PythonVenv.python.get()
        let users = try TestFiles.write("ntlm-users-\(UUID().uuidString)", "CONTOSO:svc-gp:\(Self.password)\n")
        return try await PythonTestServer.start("ntlm", python: python, environment: ["NTLM_USER_FILE": users])
    }

    @Test func theRightPasswordCompletesTheHandshakeOnOneConnection() async throws {
        let server = try await startServer()
        defer { server.stop() }
        let request = HTTPRequest(url: server.baseURL + "/GPService/Tenants(DefaultTenant)/Companies(TWO)/Sales/Customers.json",
                                  auth: .ntlm(user: Self.user, password: Self.password))

        let response = try #require(try await send(request).response)

        #expect(response.status == 200)
        let echo = try Echo(response)
        #expect(echo.user == Self.user)
        #expect(echo.ntlm_legs == 2) // NEGOTIATE and AUTHENTICATE, the CHALLENGE in between
        #expect(echo.connections == 1)
        #expect(response.connectionsOpened == 1)
    }

    @Test func aPostBodyArrivesIntactAfterTheHandshake() async throws {
        let server = try await startServer()
        defer { server.stop() }
        let json = #"{"Payload": {"DocumentNumber": "INV-100"}}"#
        let request = HTTPRequest(method: .post, url: server.baseURL + "/Sales/Receivables/Transactions",
                                  headers: ["Content-Type": "application/json"], body: Array(json.utf8),
                                  auth: .ntlm(user: Self.user, password: Self.password))

        let response = try #require(try await send(request).response)

        #expect(response.status == 200)
        #expect(try Echo(response).body == json)
    }

    @Test func theAuthenticatedConnectionIsReusedForTheNextRequest() async throws {
        let server = try await startServer()
        defer { server.stop() }
        let auth = HTTPAuth.ntlm(user: Self.user, password: Self.password)
        let requests = [HTTPRequest(url: server.baseURL + "/one", auth: auth),
                        HTTPRequest(url: server.baseURL + "/two", auth: auth)]

        let results = try await send(requests)

        let first = try Echo(try #require(results[0].response))
        let second = try Echo(try #require(results[1].response))
        #expect(second.user == Self.user)
        #expect(second.connection == first.connection)
        #expect(second.connections == 1)
        // No new handshake: the server accepted the request on the authenticated connection.
        #expect(second.header("Authorization") == nil)
        #expect(results[1].response?.connectionsOpened == 0)
    }

    @Test func aWrongPasswordComesBackAsStatus401NotAnError() async throws {
        let server = try await startServer()
        defer { server.stop() }
        let request = HTTPRequest(url: server.baseURL + "/", auth: .ntlm(user: Self.user, password: "not-the-password"))

        let result = try await send(request)

        let response = try #require(result.response)
        #expect(response.status == 401)
        #expect(response.headers["WWW-Authenticate"] == "NTLM")
    }

    @Test func anUnknownUserComesBackAsStatus401() async throws {
        let server = try await startServer()
        defer { server.stop() }
        let request = HTTPRequest(url: server.baseURL + "/", auth: .ntlm(user: #"CONTOSO\nobody"#, password: Self.password))

        #expect(try await send(request).response?.status == 401)
    }

    @Test func withoutCredentialsTheServersChallengeIsTheResponse() async throws {
        let server = try await startServer()
        defer { server.stop() }

        let response = try #require(try await send(HTTPRequest(url: server.baseURL + "/")).response)

        #expect(response.status == 401)
        #expect(response.headers["WWW-Authenticate"] == "NTLM")
    }
}
