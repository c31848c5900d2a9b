import ArgumentParser
import Foundation
import Simulators

/// `ml-connector simulate commerce`: a simulated Adobe Commerce for integrators testing without a
/// real store (see docs/simulate-commerce.md). Runs until SIGINT/SIGTERM.
struct SimulateCommerce: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commerce",
        abstract: "Run the Adobe Commerce simulator (REST, OAuth 1.0a, IMS, bulk, signed webhooks).",
        discussion: """
        PaaS routes: /rest/<store>/V1/… signed with OAuth 1.0a (HMAC-SHA256). SaaS routes: \
        /<tenant>/V1/… with an IMS bearer from POST /ims/token/v3. Admin: /_sim/… (no auth: \
        keep the simulator on loopback). The demo credentials are printed at start and served \
        at GET /_sim/credentials.
        """
    )

    @Option(help: "Address to bind (env MLC_SIM_HOST).")
    var host: String = env("MLC_SIM_HOST") ?? "127.0.0.1"

    @Option(help: "Port to bind; 0 picks a free one (env MLC_SIM_COMMERCE_PORT).")
    var port: Int = env("MLC_SIM_COMMERCE_PORT").flatMap { Int($0) } ?? 8091

    @Option(help: "Where placed orders and invoices are posted (env MLC_SIM_WEBHOOK_URL), e.g. http://127.0.0.1:8080/v1/webhooks/commerce/<tenant>.")
    var webhookURL: String = env("MLC_SIM_WEBHOOK_URL") ?? ""

    @Option(help: "Webhook hard timeout in ms, Commerce's `timeout` (0 = none).")
    var webhookTimeoutMs: Int = 5000

    @Option(help: "Webhook soft timeout in ms, Commerce's `softTimeout` (only logged).")
    var webhookSoftTimeoutMs: Int = 1000

    @Flag(help: "Make the webhook optional (Commerce `required=false`): a failed hook no longer aborts the checkout.")
    var webhookOptional = false

    @Flag(help: "Send webhooks without the x-adobe-commerce-webhook-signature header.")
    var webhookUnsigned = false

    @Option(help: "PEM file of the webhook signing key; created (mode 0600) when missing, so receivers keep trusting the same public key across runs. The public key is written beside it as <file>.pub.")
    var keyFile: String?

    @Option(help: "Delay every REST answer by this many milliseconds.")
    var latencyMs: Int = 0

    @Option(help: "expires_in of issued IMS tokens, in seconds.")
    var imsExpiresIn: Int = 86_399

    @Option(help: "Retry-After seconds sent with injected 429s (POST /_sim/faults).")
    var retryAfter: Int = 5

    @Flag(help: "Start with the async bulk consumer paused (operations stay open, status 4).")
    var bulkConsumerPaused = false

    @Flag(help: "Accept HMAC-SHA1 signatures like Commerce 2.4.3 and older.")
    var acceptSha1 = false

    @Flag(help: "Accept integration access tokens as Bearer tokens (oauth/consumer/enable_integration_as_bearer).")
    var bearerIntegrationTokens = false

    @Flag(help: "Sort signed OAuth parameters naturally (Laminas-era Magento) instead of byte order.")
    var naturalSort = false

    func run() throws {
        // Block the stop signals before any thread starts, so every thread inherits the mask
        // and only `sigwait` below receives them.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        var config = CommerceSimulatorConfig(
            host: host, port: port, imsTokenExpiresIn: imsExpiresIn, acceptSHA1: acceptSha1,
            integrationTokenAsBearer: bearerIntegrationTokens, naturalParameterSort: naturalSort,
            latencyMs: latencyMs, retryAfterSeconds: retryAfter, bulkConsumerRunning: !bulkConsumerPaused)
        if !webhookURL.isEmpty {
            config.webhook = .init(url: webhookURL, timeoutMs: webhookTimeoutMs, softTimeoutMs: webhookSoftTimeoutMs,
                                   required: !webhookOptional, signed: !webhookUnsigned)
        }
        if let keyFile, FileManager.default.fileExists(atPath: keyFile) {
            config.webhookPrivateKeyPEM = try String(contentsOfFile: keyFile, encoding: .utf8)
        }
        let simulator = try CommerceSimulator(config: config)
        if let keyFile {
            if config.webhookPrivateKeyPEM == nil {
                guard FileManager.default.createFile(atPath: keyFile, contents: Data(simulator.webhookPrivateKeyPEM.utf8),
                                                     attributes: [.posixPermissions: 0o600]) else {
                    throw ValidationError("cannot write the key file \(keyFile)")
                }
            }
            try simulator.webhookPublicKeyPEM.write(toFile: keyFile + ".pub", atomically: true, encoding: .utf8)
        }
        try simulator.start()

        let integration = config.integrations[0], ims = config.imsClients[0]
        print("""
        Adobe Commerce simulator on \(simulator.baseURL)
          PaaS REST   \(simulator.baseURL)/rest/default/V1/…   (OAuth 1.0a, HMAC-SHA256)
            consumer_key=\(integration.consumerKey) consumer_secret=\(integration.consumerSecret)
            access_token=\(integration.accessToken) access_token_secret=\(integration.accessTokenSecret)
          SaaS REST   \(simulator.baseURL)/<tenant>/V1/…   (Bearer from \(simulator.baseURL)/ims/token/v3)
            client_id=\(ims.clientId) client_secret=\(ims.clientSecret) scope must include commerce.accs
          webhook     \(webhookURL.isEmpty ? "none (PUT /_sim/webhook to set one)" : webhookURL)
          public key  \(simulator.baseURL)/_sim/webhook/public-key\(keyFile.map { " and \($0).pub" } ?? "")
          place order curl -X POST \(simulator.baseURL)/_sim/orders -d '{"customer_email":"a@example.com","items":[{"sku":"SKU-1","qty":1,"price":10}]}'
        """)
        fflush(nil)  // flush the banner even when stdout is a pipe

        var received: Int32 = 0
        sigwait(&signals, &received)
        simulator.stop()
    }

    private static func env(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}
