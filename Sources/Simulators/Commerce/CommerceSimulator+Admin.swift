import Foundation

/// `/_sim/…`: the simulator's own control endpoints (no auth; bind to loopback).
extension CommerceSimulator {
    func admin(_ request: CommerceSimRequest, _ path: [String]) -> CommerceSimResponse {
        let body = request.jsonBody as? [String: Any] ?? [:]
        switch (request.method, path) {
        case ("GET", ["webhook", "public-key"]):
            return CommerceSimResponse(status: 200, headers: [("Content-Type", "application/x-pem-file")],
                                       body: Array(webhookPublicKeyPEM.utf8))
        case ("PUT", ["webhook"]), ("POST", ["webhook"]):
            guard let url = body["url"] as? String else { return .magentoError(400, "url is required") }
            let defaults = CommerceSimulatorConfig.Webhook(url: url)
            webhook = CommerceSimulatorConfig.Webhook(
                url: url, timeoutMs: body["timeout"] as? Int ?? defaults.timeoutMs,
                softTimeoutMs: body["softTimeout"] as? Int ?? defaults.softTimeoutMs,
                required: body["required"] as? Bool ?? defaults.required,
                fallbackErrorMessage: body["fallbackErrorMessage"] as? String ?? defaults.fallbackErrorMessage,
                signed: body["signed"] as? Bool ?? true,
                orderEventName: body["order_event"] as? String ?? defaults.orderEventName,
                invoiceEventName: body["invoice_event"] as? String ?? defaults.invoiceEventName,
                headers: body["headers"] as? [String: String] ?? [:])
            return .json(200, ["url": url])
        case ("DELETE", ["webhook"]):
            webhook = nil
            return .json(200, ["url": NSNull()])
        case ("POST", ["orders"]):
            let lines = (body["items"] as? [[String: Any]] ?? []).compactMap { item -> CommerceSimOrderLine? in
                guard let sku = item["sku"] as? String else { return nil }
                return CommerceSimOrderLine(sku: sku, qty: (item["qty"] as? NSNumber)?.doubleValue ?? 1,
                                            price: (item["price"] as? NSNumber)?.doubleValue ?? 10,
                                            name: item["name"] as? String, parentSku: item["parent_sku"] as? String)
            }
            guard !lines.isEmpty else { return .magentoError(400, "items are required") }
            let placement = placeOrder(email: body["customer_email"] as? String ?? "guest@example.com",
                                       firstname: body["firstname"] as? String ?? "Sim",
                                       lastname: body["lastname"] as? String ?? "Shopper", lines: lines,
                                       currency: body["currency"] as? String ?? "USD",
                                       shipping: (body["shipping"] as? NSNumber)?.doubleValue ?? 0,
                                       tax: (body["tax"] as? NSNumber)?.doubleValue ?? 0,
                                       discount: (body["discount"] as? NSNumber)?.doubleValue ?? 0,
                                       incrementId: body["increment_id"] as? String)
            guard placement.placed else {
                return .json(400, ["message": placement.errorMessage ?? "", "webhook": (placement.webhook as Any?) ?? NSNull()])
            }
            return .json(201, ["order": placement.order ?? [:], "webhook": (placement.webhook as Any?) ?? NSNull()])
        case ("POST", let p) where p.count == 3 && p[0] == "orders" && p[2] == "invoice":
            guard let id = Int(p[1]) else { return .magentoError(404, "order not found") }
            let (invoice, hook) = invoiceOrder(entityId: id)
            guard let invoice else { return .magentoError(404, "order not found") }
            return .json(201, ["invoice": invoice, "webhook": (hook as Any?) ?? NSNull()])
        case ("POST", let p) where p.count == 3 && p[0] == "invoices" && p[2] == "webhook":
            guard let id = Int(p[1]), let hook = redeliverInvoiceWebhook(invoiceId: id) else {
                return .magentoError(404, "invoice not found or no webhook configured")
            }
            return .json(200, ["webhook": hook])
        case ("POST", ["faults"]), ("PUT", ["faults"]):
            if let n = body["rate_limit_next"] as? Int { injectRateLimit(count: n, retryAfterSeconds: body["retry_after"] as? Int) }
            if let ms = body["latency_ms"] as? Int { setLatency(milliseconds: ms) }
            return .json(200, stats)
        case ("POST", ["bulk", "consumer"]), ("PUT", ["bulk", "consumer"]):
            bulkConsumerRunning = body["running"] as? Bool ?? true
            return .json(200, ["running": bulkConsumerRunning])
        case ("POST", ["ims"]), ("PUT", ["ims"]):
            if let s = body["expires_in"] as? Int { imsTokenExpiresIn = s }
            if body["revoke_all"] as? Bool == true { revokeIMSTokens() }
            return .json(200, ["expires_in": imsTokenExpiresIn])
        case ("GET", ["stats"]):
            return .json(200, stats)
        case ("GET", ["credentials"]):
            let i = config.integrations.first
            let c = config.imsClients.first
            return .json(200, [
                "oauth": ["consumer_key": i?.consumerKey ?? "", "consumer_secret": i?.consumerSecret ?? "",
                          "access_token": i?.accessToken ?? "", "access_token_secret": i?.accessTokenSecret ?? ""],
                "ims": ["client_id": c?.clientId ?? "", "client_secret": c?.clientSecret ?? "",
                        "token_url": "/ims/token/v3", "scopes": "openid,AdobeID,commerce.accs"],
            ])
        default:
            return .noRoute
        }
    }
}
