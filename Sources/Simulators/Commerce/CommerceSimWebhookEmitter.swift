import Foundation
import HTTPClient

/// Posts Adobe Commerce Webhooks (synchronous, observer shape) to the configured URL, signed
/// like Commerce: `x-adobe-commerce-webhook-signature = base64(RSA-SHA256(base64(body)))`.
/// The caller (the checkout) waits for the answer, as Commerce does.
final class CommerceSimWebhookEmitter: @unchecked Sendable {
    struct Outcome: Sendable {
        /// nil when there was no answer (timeout, connection refused).
        var status: Int?
        var latencyMs: Int
        /// The first op of the answer (`success`, `exception`, …) when it parsed.
        var op: String?
        var exceptionMessage: String?
        var error: String?
        var softTimeoutExceeded: Bool
        /// Whether Commerce would carry on with the flow (order placed / invoice saved).
        var proceed: Bool

        var json: [String: Any] {
            ["status": status ?? NSNull(), "latency_ms": latencyMs, "op": op ?? NSNull(),
             "error": error ?? NSNull(), "soft_timeout_exceeded": softTimeoutExceeded, "proceed": proceed]
        }
    }

    let signer: RSASigner
    private let lock = NSLock()
    private var target: CommerceSimulatorConfig.Webhook?
    private(set) var sent = 0
    private(set) var failed = 0

    init(signer: RSASigner, target: CommerceSimulatorConfig.Webhook?) {
        self.signer = signer
        self.target = target
    }

    var webhook: CommerceSimulatorConfig.Webhook? {
        get { lock.withLock { target } }
        set { lock.withLock { target = newValue } }
    }

    var counts: (sent: Int, failed: Int) { lock.withLock { (sent, failed) } }

    /// Sends `{"eventName": name, "data": {key: entity}}`; nil when no webhook is configured.
    func emit(eventName: (CommerceSimulatorConfig.Webhook) -> String, key: String, entity: [String: Any]) -> Outcome? {
        guard let hook = webhook, URL(string: hook.url) != nil else { return nil }
        let payload: [String: Any] = ["eventName": eventName(hook), "data": [key: entity]]
        let body = (try? JSONSerialization.data(withJSONObject: payload)) ?? Data()
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        for (name, value) in hook.headers { headers.add(name, value) }
        if hook.signed, let signature = try? signer.webhookSignature(body: Array(body)) {
            headers.add("x-adobe-commerce-webhook-signature", signature)
        }
        // Commerce's `timeout` 0 means no hard limit; the client still needs some number.
        let timeout: Duration = hook.timeoutMs > 0 ? .milliseconds(hook.timeoutMs) : .seconds(300)
        // libcurl with hard timeouts, straight to the target (as Commerce's own HTTP client posts).
        let request = HTTPRequest(method: .post, url: hook.url, headers: headers, body: Array(body), proxy: .direct,
                                  connectTimeout: min(timeout, .seconds(10)), timeout: timeout, maxResponseBytes: 1 << 20)

        let started = Date()
        let result = Self.send(request)
        let latency = Int(Date().timeIntervalSince(started) * 1000)
        var outcome = Outcome(status: result.status, latencyMs: latency, op: nil, exceptionMessage: nil,
                              error: result.error, softTimeoutExceeded: hook.softTimeoutMs > 0 && latency > hook.softTimeoutMs,
                              proceed: true)
        if let data = result.body, let json = try? JSONSerialization.jsonObject(with: data) {
            let first = (json as? [[String: Any]])?.first ?? (json as? [String: Any])
            outcome.op = first?["op"] as? String
            outcome.exceptionMessage = first?["message"] as? String
        }
        let ok = (result.status.map { (200..<300).contains($0) } ?? false) && outcome.op != "exception"
        if !ok && (hook.required || outcome.op == "exception") { outcome.proceed = false }
        lock.withLock {
            sent += 1
            if !ok { failed += 1 }
        }
        return outcome
    }

    private static func send(_ request: HTTPRequest) -> (status: Int?, body: Data?, error: String?) {
        do {
            let response = try HTTPClient().perform(request)
            return (response.status, Data(response.body), nil)
        } catch {
            return (nil, nil, error.message)
        }
    }
}
