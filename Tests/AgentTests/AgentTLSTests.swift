import Connector
import Foundation
import Glibc
import Postgres
import TestSupport
import Testing

/// The agent verifies the server's TLS certificate: a server it cannot verify gets nothing (not
/// even a heartbeat), one signed by the `--ca-file` CA works end to end. A Python TLS proxy with a
/// self-signed certificate stands in front of the test server (as a load balancer would).
@Suite(.serialized) struct AgentTLSTests {
    static let proxyScript = #"""
    import http.server, ssl, sys, urllib.request
    cert, key, upstream = sys.argv[1], sys.argv[2], sys.argv[3]
    class Proxy(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type", "x-agent-id")}
            req = urllib.request.Request(upstream + self.path, body, headers, method="POST")
            try:
                with urllib.request.urlopen(req, timeout=90) as r:
                    status, data = r.status, r.read()
            except urllib.error.HTTPError as e:
                status, data = e.code, e.read()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        def log_message(self, *a):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()
    """#

    static func shell(_ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        guard p.waitForExit(timeout: 60) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    @Test func theAgentTalksOnlyToAServerWhoseCertificateItCanVerify() async throws {
        let world = try AgentWorld("agent_tls")
        defer { world.stop() }
        let (untrustedBeat, untrustedLog, trustedBeat, ping) = try await onThread { () -> (Bool, String, Bool, Bool) in
            let dir = "/tmp/mlc-agent-tls-\(getpid())"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            try Self.shell(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                            "-keyout", dir + "/key.pem", "-out", dir + "/cert.pem", "-days", "2", "-subj", "/CN=localhost",
                            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
            try Self.proxyScript.write(toFile: dir + "/proxy.py", atomically: true, encoding: .utf8)
            let proxy = Process()
            proxy.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            proxy.arguments = ["python3", "-u", dir + "/proxy.py", dir + "/cert.pem", dir + "/key.pem", world.baseURL]
            let out = Pipe()
            proxy.standardOutput = out
            proxy.standardInput = FileHandle.nullDevice
            try proxy.run()
            defer { proxy.killAndReap() }
            let port = try #require(Int((readFirstLine(out) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)))
            let url = "https://127.0.0.1:\(port)"

            let tenant = try world.registerAgentTenant()
            let token = try world.agentToken(tenant)
            let conn = try Connection(world.conninfo)
            func heard() throws -> Bool { try AgentStatusStore().status(conn, tenant: tenant.id.rawValue) != nil }

            // Without the CA: the self-signed certificate is refused, nothing reaches the server.
            let untrustedLog = URL(fileURLWithPath: dir + "/untrusted.log")
            let untrusted = try world.spawnAgent(token: token, log: untrustedLog, server: url)
            _ = try world.waitFor(4) { false }
            let untrustedBeat = try heard()
            untrusted.killAndReap()

            // With --ca-file: heartbeats arrive and a relayed call (a ping through the agent) works.
            let trustedLog = URL(fileURLWithPath: dir + "/trusted.log")
            try world.spawnAgent(token: token, log: trustedLog, server: url, extra: ["--ca-file", dir + "/cert.pem"])
            let trustedBeat = try world.waitFor(20) { try heard() }
            let ping = world.plane.configuration.probe.pingGP(tenant, secrets: SecretValues())
            return (untrustedBeat, (try? String(contentsOf: untrustedLog, encoding: .utf8)) ?? "", trustedBeat, ping.ok)
        }
        #expect(!untrustedBeat)
        #expect(untrustedLog.contains("tls_failed"), "\(untrustedLog.suffix(2000))")
        #expect(trustedBeat)
        #expect(ping)
    }

    /// No proxy: the world's own HTTPServer serves HTTPS (native TLS). The agent, given the CA,
    /// heartbeats and relays a ping; our libcurl client, given the CA, drives the API over it.
    @Test func theAgentWorksEndToEndAgainstTheServersNativeTLS() async throws {
        let certificate = try SelfSignedCertificate.server.get()
        let world = try AgentWorld("agent_native_tls", tls: certificate)
        defer { world.stop() }
        let (beat, probePing, apiPing, log) = try await onThread { () -> (Bool, Bool, String, String) in
            let tenant = try world.registerAgentTenant()
            let token = try world.agentToken(tenant)
            let conn = try Connection(world.conninfo)
            let log = try TestFiles.directory.get().appendingPathComponent("agent-native-tls-\(UUID().uuidString).log")
            try world.spawnAgent(token: token, log: log, extra: ["--ca-file", certificate.certificatePath])
            let beat = try world.waitFor(60) { try AgentStatusStore().status(conn, tenant: tenant.id.rawValue) != nil }
            let probePing = world.plane.configuration.probe.pingGP(tenant, secrets: SecretValues()).ok
            let api = try world.request("POST", "/v1/tenants/\(tenant.id.rawValue)/ping", token: world.adminToken)
            let gp = api.body["gp"] as? [String: Any] ?? [:]
            return (beat, probePing, "\(api.status) \(gp["ok"].map { "\($0)" } ?? "-")",
                    (try? String(contentsOf: log, encoding: .utf8)) ?? "")
        }
        #expect(world.baseURL.hasPrefix("https://"))
        #expect(beat, "\(log.suffix(2000))")
        #expect(probePing, "\(log.suffix(2000))")
        #expect(apiPing == "200 1" || apiPing == "200 true", "\(log.suffix(2000))")
    }
}
