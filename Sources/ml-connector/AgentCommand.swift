import ArgumentParser
import Connector
import Foundation
import HTTPClient
import Logging

/// `ml-connector agent`: the local agent for a GP server the cloud cannot reach (docs/agent.md).
struct AgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Relay a tenant's GP calls from inside the merchant's network (dials out; nothing inbound).",
        discussion: """
        Long-polls --server with an agent token (ml-connector tokens create --tenant T --agent, or \
        POST /v1/tenants/T/tokens {"scope":"agent"}), performs the GP calls it receives, and posts \
        the answers back. The tenant's gp.agent_credentials says whose GP credentials it uses: \
        "agent" (default) — the ones given here, which never leave this process: \
        --gp-username/--gp-password, MLC_GP_USERNAME/MLC_GP_PASSWORD, or --gp-credentials-file \
        (lines username=… and password=…, mode 600); "server" — the tenant's stored ones, sent by \
        the server over https (never over plain http to another machine). SIGINT or SIGTERM lets \
        running calls finish, then exits.
        """)

    @Option(help: "Base URL of the ml-connector server, https://… (env MLC_AGENT_SERVER).")
    var server: String = Environment.string("MLC_AGENT_SERVER") ?? ""

    @Option(help: "Agent token of the tenant (env MLC_AGENT_TOKEN).")
    var token: String = Environment.string("MLC_AGENT_TOKEN") ?? ""

    @Option(help: "PEM file of the CA that signed the server's certificate (default: the system store).")
    var caFile: String?

    @Flag(help: "Allow an http:// server URL that is not on this machine (calls and answers travel unencrypted; the server's GP credentials are then never used).")
    var allowInsecureHTTP = false

    @Option(help: "GP user, DOMAIN\\user (env MLC_GP_USERNAME).")
    var gpUsername: String = Environment.string("MLC_GP_USERNAME") ?? ""

    @Option(help: "GP password (env MLC_GP_PASSWORD; prefer the env or --gp-credentials-file: flags show in ps).")
    var gpPassword: String = Environment.string("MLC_GP_PASSWORD") ?? ""

    @Option(help: "File with username=… and password=… lines, readable by this user only (env MLC_GP_CREDENTIALS_FILE).")
    var gpCredentialsFile: String = Environment.string("MLC_GP_CREDENTIALS_FILE") ?? ""

    @Option(help: "GP authentication: ntlm, negotiate or basic (default: the tenant's gp.auth).")
    var gpAuth: String?

    @Option(help: "PEM file of the CA that signed GP's certificate (default: the system store).")
    var gpCaFile: String?

    @Option(help: "GP calls run at once (env MLC_AGENT_CONCURRENCY); match the tenant's gp.max_parallel_calls.")
    var concurrency: Int = Environment.int("MLC_AGENT_CONCURRENCY", default: 4)

    @Option(help: "Seconds a poll waits on the server for work.")
    var pollWait: Double = 25

    @Option(help: "Seconds between heartbeats.")
    var heartbeatInterval: Double = 10

    @Option(help: "Seconds between the agent's own GP pings (shown on the tenant).")
    var gpPingInterval: Double = 60

    @Option(help: "Longest wait in seconds between reconnection attempts.")
    var maxBackoff: Double = 30

    @Option(help: "Seconds to let running GP calls finish on shutdown.")
    var shutdownTimeout: Double = 10

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (env MLC_LOG_LEVEL).")
    var logLevel: String = Environment.string("MLC_LOG_LEVEL") ?? "info"

    func validate() throws {
        guard !server.isEmpty else { throw ValidationError("--server (or MLC_AGENT_SERVER) is required") }
        guard !token.isEmpty else { throw ValidationError("--token (or MLC_AGENT_TOKEN) is required") }
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 64") }
        guard (1...60).contains(pollWait) else { throw ValidationError("--poll-wait must be between 1 and 60") }
        guard heartbeatInterval >= 0.2, gpPingInterval >= 0.2, maxBackoff >= 0.5 else {
            throw ValidationError("--heartbeat-interval and --gp-ping-interval must be at least 0.2, --max-backoff at least 0.5")
        }
        if let gpAuth, !["ntlm", "negotiate", "basic"].contains(gpAuth) {
            throw ValidationError("--gp-auth must be ntlm, negotiate or basic")
        }
        _ = try Self.serverURL(server, allowInsecureHTTP: allowInsecureHTTP)
    }

    /// The server URL without a trailing slash. http:// only to this machine unless allowed.
    static func serverURL(_ text: String, allowInsecureHTTP: Bool) throws -> String {
        let url = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(), let host = parts.host, !host.isEmpty else {
            throw ValidationError("--server must be an absolute URL such as https://connector.example.com")
        }
        switch scheme {
        case "https": return url
        case "http" where allowInsecureHTTP || isLoopback(host): return url
        case "http": throw ValidationError("--server must use https (http only to this machine, or with --allow-insecure-http)")
        default: throw ValidationError("--server must be an https:// URL")
        }
    }

    /// http:// to a host other than this machine: GP credentials must not travel over it.
    static func isInsecureRemote(_ url: String) -> Bool {
        guard let parts = URLComponents(string: url), parts.scheme?.lowercased() == "http" else { return false }
        return !isLoopback(parts.host ?? "")
    }

    static func isLoopback(_ host: String) -> Bool {
        ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased())
    }

    static func readPEM(_ path: String?, flag: String) throws -> String? {
        guard let path else { return nil }
        guard let pem = try? String(contentsOfFile: path, encoding: .utf8), pem.contains("-----BEGIN CERTIFICATE-----") else {
            throw ValidationError("\(flag) \(path) is not a readable PEM certificate file")
        }
        return pem
    }

    func run() throws {
        let logger = bootstrapLogging(level: logLevel, label: "mlc.agent")
        var credentials = AgentCredentials(username: gpUsername.isEmpty ? nil : gpUsername,
                                           password: gpPassword.isEmpty ? nil : gpPassword)
        if !gpCredentialsFile.isEmpty {
            let file = gpCredentialsFile
            let loaded = try AgentCredentials.load(file: file)
            credentials.username = credentials.username ?? loaded.username
            credentials.password = credentials.password ?? loaded.password
        }
        if (credentials.username ?? "").isEmpty && credentials.password != nil {
            throw ValidationError("a GP password was given without a user: give it with --gp-username, MLC_GP_USERNAME or --gp-credentials-file")
        }
        if gpAuth != "negotiate" && (credentials.username ?? "").isEmpty {
            // Fine when the tenant's gp.agent_credentials is server; otherwise every GP call says so.
            logger.notice("no GP credentials given: this agent relays GP calls only if the tenant's gp.agent_credentials is server")
        }
        let serverTLS = try Self.readPEM(caFile, flag: "--ca-file").map(HTTPTLS.trusting(caPEM:)) ?? .standard
        let gpTLS = try Self.readPEM(gpCaFile, flag: "--gp-ca-file").map(HTTPTLS.trusting(caPEM:)) ?? .standard
        let agentID = UUID().uuidString.lowercased()
        let baseURL = try Self.serverURL(server, allowInsecureHTTP: allowInsecureHTTP)
        let client = AgentServerClient(baseURL: baseURL, token: token, tls: serverTLS, agentID: agentID)
        var config = LocalAgent.Configuration(server: client)
        config.insecureTransport = Self.isInsecureRemote(baseURL)
        config.gpUsername = credentials.username
        config.gpPassword = credentials.password
        config.gpAuth = gpAuth
        config.gpTLS = gpTLS
        config.concurrency = concurrency
        config.pollWait = pollWait
        config.heartbeatInterval = heartbeatInterval
        config.gpPingInterval = gpPingInterval
        config.maxBackoff = maxBackoff
        let signals = ShutdownSignals.shared
        let agent = LocalAgent(configuration: config, logger: logger)
        agent.start()
        logger.info("agent running", metadata: ["server": "\(client.baseURL)", "agent_id": "\(agentID)",
                                                 "concurrency": "\(concurrency)", "version": "\(LocalAgent.version)"])
        signals.wait()
        logger.info("stopping", metadata: ["reason": .string(signals.reason ?? "signal")])
        agent.stop(grace: shutdownTimeout)
        signals.runHandlers()
        logger.info("stopped")
    }
}
