import Foundation
import HTTPClient
import Testing
import GP
import TestSupport

/// The direct transport against independent servers: pyspnego's NTLM acceptor and Python's ssl.
@Suite struct GPTransportTests {
    static let companyPath = "/GPService/Tenants(DefaultTenant)/Companies(Fabrikam%2C%20Inc.)/"

    func client(_ base: String, _ transport: GPDirectTransport) throws -> GPClient {
        GPClient(company: try GPCompany(url: base + Self.companyPath), transport: transport, tenant: "t1")
    }

    static func ntlmServer() async throws -> ChildServer {
        let python = try PythonVenv.python.get()
        let users = try TestFiles.write("ntlm-users.txt", "CONTOSO:svc-gp:N7lm-Pa55word\n")
        return try await PythonTestServer.start("ntlm", python: python, environment: ["NTLM_USER_FILE": users])
    }

    @Test func ntlmLogsInOverTheMultiLegHandshakeAndKeepsTheConnection() async throws {
        let server = try await Self.ntlmServer()
        defer { server.stop() }
        let transport = GPDirectTransport(auth: .ntlm(user: #"CONTOSO\svc-gp"#, password: "N7lm-Pa55word"))
        let base = "http://127.0.0.1:\(server.port)"
        let client = try client(base, transport)
        let (customer, first, second) = try await onThread { () throws -> (GPCustomer?, GPResponse, GPResponse) in
            let customer = try client.customer("AARONFIT0001")
            let url = base + Self.companyPath + "Sales/Customers(AARONFIT0001)"
            let first = try transport.send(GPRequest(method: "GET", url: url))
            let second = try transport.send(GPRequest(method: "GET", url: url))
            return (customer, first, second)
        }
        #expect(customer?.customerId == "AARONFIT0001")
        #expect(customer?.name == "Aaron Fitz Electrical")
        #expect(first.status == 200)
        #expect(first.header("X-NTLM-User")?.lowercased() == #"contoso\svc-gp"#)
        // Later calls on this thread reuse the authenticated connection: no new handshake.
        #expect(second.header("X-Connection") == first.header("X-Connection"))
        #expect(second.header("X-NTLM-Legs") == first.header("X-NTLM-Legs"))
    }

    @Test func aWrongNTLMPasswordFailsCleanlyWithoutShowingIt() async throws {
        let server = try await Self.ntlmServer()
        defer { server.stop() }
        let transport = GPDirectTransport(auth: .ntlm(user: #"CONTOSO\svc-gp"#, password: "Wrong-Pa55word"))
        let client = try client("http://127.0.0.1:\(server.port)", transport)
        let outcome = try await onThread { () -> GPError? in
            do throws(GPError) {
                _ = try client.customer("AARONFIT0001")
                return nil
            } catch {
                return error
            }
        }
        #expect(outcome == .authenticationFailed)
        #expect(outcome?.isRetryable == false)
        #expect(outcome?.message.contains("Wrong-Pa55word") == false)
    }

    static func tlsServer() async throws -> (ChildServer, String) {
        let cert = try SelfSignedCertificate.server.get()
        let server = try await PythonTestServer.start("tls", [cert.certificatePath, cert.keyPath])
        return (server, cert.pem)
    }

    func fetch(_ client: GPClient) async throws -> Result<GPCustomer?, GPError> {
        try await onThread { () -> Result<GPCustomer?, GPError> in
            do throws(GPError) { return .success(try client.customer("AARONFIT0001")) } catch { return .failure(error) }
        }
    }

    @Test func aSelfSignedCertificateIsRefusedByDefault() async throws {
        let (server, _) = try await Self.tlsServer()
        defer { server.stop() }
        let result = try await fetch(client("https://localhost:\(server.port)", GPDirectTransport(auth: .none)))
        guard case .failure(let error) = result else { Issue.record("connected without trusting the certificate"); return }
        #expect(error.code == "gp_tls_failed")
        #expect(!error.isRetryable)
    }

    @Test func theTenantsCAPEMMakesTheCertificateTrusted() async throws {
        let (server, pem) = try await Self.tlsServer()
        defer { server.stop() }
        let result = try await fetch(client("https://localhost:\(server.port)", GPDirectTransport(auth: .none, tls: .trusting(caPEM: pem))))
        #expect(try result.get()?.customerId == "AARONFIT0001")
    }

    @Test func anUnrelatedCAPEMIsStillRefused() async throws {
        let (server, _) = try await Self.tlsServer()
        defer { server.stop() }
        let other = try SelfSignedCertificate.unrelated.get()
        let result = try await fetch(client("https://localhost:\(server.port)", GPDirectTransport(auth: .none, tls: .trusting(caPEM: other.pem))))
        guard case .failure(let error) = result else { Issue.record("trusted an unrelated CA"); return }
        #expect(error.code == "gp_tls_failed")
    }

    @Test func skippingVerificationWorksOnlyWhenAskedFor() async throws {
        let (server, _) = try await Self.tlsServer()
        defer { server.stop() }
        let result = try await fetch(client("https://localhost:\(server.port)", GPDirectTransport(auth: .none, tls: .insecureSkipVerification)))
        #expect(try result.get()?.name == "Aaron Fitz Electrical")
    }

    @Test func aClosedPortIsUnreachableAndRetryable() async throws {
        let result = try await fetch(client("http://127.0.0.1:1", GPDirectTransport(auth: .none, connectTimeout: 2)))
        guard case .failure(let error) = result else { Issue.record("connected to port 1"); return }
        #expect(error.code == "gp_unreachable")
        #expect(error.isRetryable)
    }
}
