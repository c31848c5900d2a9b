import Commerce
import Connector
import HTTPServer

/// `POST /v1/webhooks/commerce/{tenant}`: no bearer token — the RSA signature over the body
/// authenticates it (`WebhookReceiver`). An unknown tenant is a bare 404, whatever was signed.
extension ControlPlane {
    func receiveWebhook(_ request: Request) -> Response {
        let raw = request.parameters["tenant"] ?? ""
        // The canonical id (a UUID in any case), so records and jobs are keyed like the tenant.
        let tenant = TenantID(raw)?.rawValue ?? raw
        // A malformed tenant id has no key either: the receiver answers the same bare 404.
        let reply = webhooks.receive(tenant: tenant, signature: request.headers["x-adobe-commerce-webhook-signature"], body: request.body)
        return Response(status: HTTPStatus(reply.status), headers: ["Content-Type": "application/json"], body: reply.body)
    }

    func registerWebhookMetrics(on metrics: Metrics) {
        let receiver = webhooks
        let series: [(String, String, @Sendable (WebhookReceiver.Counters) -> Int)] = [
            ("mlc_webhooks_accepted_total", "Commerce webhooks stored with their job within the time budget.", { $0.accepted }),
            ("mlc_webhooks_ignored_total", "Commerce webhooks of events the connector does not act on.", { $0.ignored }),
            ("mlc_webhooks_rejected_total", "Commerce webhooks refused (signature, size, shape, unknown tenant).", { $0.rejected }),
            ("mlc_webhooks_budget_exceeded_total", "Commerce webhooks acknowledged before the database committed (time budget exceeded).", { $0.budgetExceeded }),
            ("mlc_webhooks_store_failed_total", "Commerce webhooks acknowledged although storing them failed (the backstop poll catches up).", { $0.sinkFailed }),
            ("mlc_webhooks_overloaded_total", "Commerce webhooks acknowledged without storing because the store backlog was full.", { $0.overloaded }),
        ]
        for (name, help, read) in series {
            metrics.counter(name, help: help) { Double(read(receiver.counters)) }
        }
    }
}
