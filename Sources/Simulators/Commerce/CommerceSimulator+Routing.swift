import Foundation

extension CommerceSimulator {
    /// The whole simulated instance as one function: admin, IMS, then REST with its auth.
    public func handle(_ request: CommerceSimRequest) -> CommerceSimResponse {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: true).map { SimPercent.decode(String($0), plusIsSpace: false) }
        if segments.first == "_sim" { return admin(request, Array(segments.dropFirst())) }
        if segments == ["ims", "token", "v3"] {
            return request.method == "POST" ? ims.tokenEndpoint(request) : .magentoError(405, "Method not allowed")
        }
        guard let (route, saas) = Self.apiRoute(segments), let endpoint = endpoint(request, route) else { return .noRoute }

        let (delay, limited, retryAfter): (Int, Bool, Int?) = lock.withLock {
            requestCount += 1
            if request.method != "GET" { writeRequestCount += 1 }
            if rateLimitNext > 0 {
                rateLimitNext -= 1
                rateLimitedCount += 1
                return (latencyMs, true, retryAfterSeconds)
            }
            return (latencyMs, false, nil)
        }
        if delay > 0 { Thread.sleep(forTimeInterval: Double(delay) / 1000) }
        if limited {
            var response = CommerceSimResponse.json(429, ["message": "Too Many Requests", "trace": NSNull()])
            if let retryAfter { response.headers.append(("Retry-After", String(retryAfter))) }
            return response
        }
        if let denied = authenticate(request, saas: saas) { return denied }
        return endpoint()
    }

    /// Strips `/rest[/<store>]` (PaaS) or `/<tenant>` (SaaS) and returns what follows `V1`
    /// prefixed by `async`/`async/bulk` when present, e.g. `["async", "bulk", "products"]`.
    static func apiRoute(_ s: [String]) -> ([String], saas: Bool)? {
        var rest = s[...]
        var saas = false
        if rest.first == "rest" {
            rest = rest.dropFirst()
            if let first = rest.first, first != "V1", first != "async" { rest = rest.dropFirst() }  // store code
        } else if rest.count >= 2 {
            rest = rest.dropFirst()  // SaaS tenant id
            saas = true
        } else {
            return nil
        }
        var prefix: [String] = []
        if rest.first == "async" {
            prefix.append("async"); rest = rest.dropFirst()
            if rest.first == "bulk" { prefix.append("bulk"); rest = rest.dropFirst() }
        }
        guard rest.first == "V1" else { return nil }
        rest = rest.dropFirst()
        // SaaS spells the async routes `/V1/async[/bulk]/products`.
        if prefix.isEmpty, rest.first == "async" {
            prefix.append("async"); rest = rest.dropFirst()
            if rest.first == "bulk" { prefix.append("bulk"); rest = rest.dropFirst() }
        }
        return (prefix + rest, saas)
    }

    /// OAuth 1.0a for PaaS; IMS bearer for SaaS; integration token as bearer only when enabled.
    func authenticate(_ request: CommerceSimRequest, saas: Bool) -> CommerceSimResponse? {
        let authorization = request.header("Authorization") ?? ""
        if authorization.lowercased().hasPrefix("bearer ") {
            let token = String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            if ims.isValid(token) { return nil }
            if saas {
                return .json(401, ["message": "The request is not authorized: invalid or expired IMS token."])
            }
            if config.integrationTokenAsBearer,
               config.integrations.contains(where: { $0.accessToken == token && $0.active }) { return nil }
            return CommerceSimOAuth.notAuthorized(request)
        }
        if !saas, authorization.range(of: "oauth ", options: .caseInsensitive) != nil {
            return oauth.verify(request, authorization: authorization)
        }
        return CommerceSimOAuth.notAuthorized(request)
    }

    /// The handler for a route, nil when Magento has no such route (checked before auth,
    /// as Magento does: an unknown route is 404 even without credentials).
    func endpoint(_ request: CommerceSimRequest, _ route: [String]) -> (() -> CommerceSimResponse)? {
        let entityMissing = "The entity that was requested doesn't exist. Verify the entity and try again."
        switch (request.method, route) {
        case ("GET", ["products"]): return { self.search(request) { $0.productsInOrder() } }
        case ("GET", let r) where r.count == 2 && r[0] == "products": return { self.getProduct(sku: r[1]) }
        case ("POST", ["products"]): return { self.saveProduct(request, sku: nil) }
        case ("PUT", let r) where r.count == 2 && r[0] == "products": return { self.saveProduct(request, sku: r[1]) }
        case ("POST", ["customers"]): return { self.createCustomer(request) }
        case ("GET", ["customers", "search"]): return { self.search(request) { $0.sorted($0.customers) } }
        case ("GET", let r) where r.count == 2 && r[0] == "customers": return { self.getCustomer(r[1]) }
        case ("PUT", let r) where r.count == 2 && r[0] == "customers": return { self.updateCustomer(request, id: r[1]) }
        case ("GET", ["orders"]): return { self.search(request) { $0.sorted($0.orders) } }
        case ("GET", let r) where r.count == 2 && r[0] == "orders":
            return { self.getEntity(\.orders, r[1], template: entityMissing) }
        case ("GET", ["invoices"]): return { self.search(request) { $0.sorted($0.invoices) } }
        case ("GET", let r) where r.count == 2 && r[0] == "invoices":
            return { self.getEntity(\.invoices, r[1], template: entityMissing) }
        case ("POST", ["async", "products"]), ("POST", ["async", "bulk", "products"]),
             ("PUT", ["async", "bulk", "products", "bySku"]):
            return { self.asyncProducts(request, bulk: route.count > 2) }
        case ("GET", let r) where r.count == 3 && r[0] == "bulk" && (r[2] == "status" || r[2] == "detailed-status"):
            return {
                guard let status = self.bulk.status(r[1], detailed: r[2] == "detailed-status") else {
                    return .magentoError(404, "Bulk operation %1 not found", [r[1]])
                }
                return .json(200, status)
            }
        default:
            return nil
        }
    }

    func search(_ request: CommerceSimRequest, rows: (CommerceSimulator) -> [[String: Any]]) -> CommerceSimResponse {
        switch CommerceSimSearch.parse(request.queryItems) {
        case .missing:
            return .magentoError(400, "\"%fieldName\" is required. Enter and try again.", ["fieldName": "searchCriteria"])
        case .criteria(let criteria):
            let all = lock.withLock { rows(self) }
            return .json(200, criteria.run(all))
        }
    }

    func sorted(_ map: [Int: [String: Any]]) -> [[String: Any]] {
        map.sorted { $0.key < $1.key }.map(\.value)
    }

    func productsInOrder() -> [[String: Any]] {
        products.values.sorted { ($0["id"] as? Int ?? 0) < ($1["id"] as? Int ?? 0) }
    }

    func getEntity(_ map: KeyPath<CommerceSimulator, [Int: [String: Any]]>, _ id: String, template: String) -> CommerceSimResponse {
        guard let key = Int(id), let entity = lock.withLock({ self[keyPath: map][key] }) else { return .magentoError(404, template) }
        return .json(200, entity)
    }
}
