import Foundation
import HTTPServer

extension GPSimulator {
    /// One SBA request: count it, apply latency and faults, authenticate, then serve.
    func handleGP(_ request: Request) -> Response {
        counters.withLock { c in
            c.requests += 1
            c.inFlight += 1
            c.peakConcurrent = max(c.peakConcurrent, c.inFlight)
        }
        defer { counters.withLock { $0.inFlight -= 1 } }
        let config = configuration.withLock { $0 }
        let fault = faults.withLock { $0.take() }
        let delay = config.latencyMs + fault.delayMs
        if delay > 0 { Thread.sleep(forTimeInterval: Double(delay) / 1000) }
        if let status = fault.failStatus {
            return gpError(status, "ServiceUnavailable", "The Dynamics GP service is not available: the Dexterity service is restarting.", config)
        }
        guard authenticated(request, config) else {
            var response = gpError(401, "Unauthorized", "The user name or password is incorrect.", config)
            response.headers.add("WWW-Authenticate", "Basic realm=\"GPService\"")
            return response
        }
        let response = serve(request, config)
        if fault.loseResponse {
            return gpError(503, "ServiceUnavailable", "The connection to the Dexterity service was lost.", config)
        }
        return response
    }

    func authenticated(_ request: Request, _ config: GPSimulatorConfiguration) -> Bool {
        guard !config.users.isEmpty else { return true }
        guard let header = request.headers["Authorization"], header.lowercased().hasPrefix("basic "),
              let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let pair = String(data: data, encoding: .utf8), let colon = pair.firstIndex(of: ":") else { return false }
        let user = String(pair[..<colon])
        let password = String(pair[pair.index(after: colon)...])
        func bare(_ u: String) -> String { (u.split(separator: "\\").last.map(String.init) ?? u).lowercased() }
        return config.users.contains { name, secret in
            (name.lowercased() == user.lowercased() || bare(name) == bare(user)) && secret == password
        }
    }

    func serve(_ request: Request, _ config: GPSimulatorConfiguration) -> Response {
        guard let path = SBAPath.parse(request.path) else {
            return gpError(404, "NotFound", "No GP service answers at this address.", config)
        }
        guard case .resource(let company, let resourcePath, let keys) = path.target else {
            return helpPage(tenant: path.tenant, config)
        }
        if let companies = config.companies, !companies.contains(where: { $0.lowercased() == company.lowercased() }) {
            return gpError(404, "CompanyNotFound", "Company '\(company)' was not found in tenant '\(path.tenant)'.", config)
        }
        guard let resource = config.paths.resource(for: resourcePath) else {
            return gpError(404, "ResourceNotFound", "The resource '\(resourcePath)' does not exist.", config)
        }
        switch (request.method, keys) {
        case (.GET, nil), (.HEAD, nil):
            return list(request, resource, config)
        case (.GET, let keys?), (.HEAD, let keys?):
            guard let record = store.get(resource, keys: keys) else {
                return gpError(404, "NotFound", "\(resource.noun) \(keys.joined(separator: ";")) was not found.", config)
            }
            return envelope(.object(record), status: 200, config)
        case (.POST, nil) where resource == .receivables:
            return createDocument(request, company: company, config)
        case (.PUT, _):
            return gpError(405, "MethodNotAllowed", "PUT is not supported; use PATCH to update.", config)
        default:
            return gpError(405, "MethodNotAllowed", "\(request.method.rawValue) is not supported on \(resourcePath) by this simulator.", config)
        }
    }

    func list(_ request: Request, _ resource: GPSimResource, _ config: GPSimulatorConfiguration) -> Response {
        let query = (try? request.query()) ?? [:]
        var since: String?
        if config.modifiedFilter, let text = query[config.modifiedSinceParameter] {
            guard let day = GPSimDay.parse(text) else {
                return gpError(400, "InvalidParameter", "\(config.modifiedSinceParameter) must be a date (yyyy-MM-dd).", config)
            }
            since = day
        }
        var skip: Int?
        var take: Int?
        if config.paging {
            if let s = query[config.skipParameter] {
                guard let n = Int(s), n >= 0 else { return gpError(400, "InvalidParameter", "\(config.skipParameter) must be a whole number.", config) }
                skip = n
            }
            if let t = query[config.takeParameter] {
                guard let n = Int(t), n >= 0 else { return gpError(400, "InvalidParameter", "\(config.takeParameter) must be a whole number.", config) }
                take = n
            }
        }
        let records = store.list(resource, since: since, skip: skip, take: take)
        return envelope(.array(records.map { .object($0) }), status: 200, config)
    }

    func createDocument(_ request: Request, company: String, _ config: GPSimulatorConfiguration) -> Response {
        let input: GPSimDocumentInput
        do {
            if config.envelope {
                let wrapped = try JSONDecoder().decode([String: GPSimDocumentInput].self, from: Data(request.body))
                guard let inner = wrapped[config.envelopeKey] else {
                    return gpError(400, "InvalidRequest", "The body must be {\"\(config.envelopeKey)\": {…}}.", config)
                }
                input = inner
            } else {
                input = try JSONDecoder().decode(GPSimDocumentInput.self, from: Data(request.body))
            }
        } catch {
            return gpError(400, "InvalidRequest", config.envelope
                           ? "The body must be {\"\(config.envelopeKey)\": {…}} with a receivables document."
                           : "The body is not a receivables document.", config)
        }
        switch store.post(input, company: company) {
        case .success(let doc):
            return envelope(.object(doc.json), status: 201, config)
        case .failure(let rejection):
            return gpError(rejection.status, rejection.code, rejection.message, config)
        }
    }

    func helpPage(tenant: String, _ config: GPSimulatorConfiguration) -> Response {
        let p = config.paths
        let rows = [p.items, p.itemPriceLists, p.itemSites, p.customers, p.customerAddresses, p.receivablesTransactions]
            .map { "<li>Companies({company})/\($0)</li>" }.joined()
        let html = "<html><head><title>GP Service help (simulator)</title></head><body><h1>Tenant \(tenant)</h1><ul>\(rows)</ul></body></html>"
        return Response(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8"], body: Array(html.utf8))
    }

    func envelope(_ value: JSONValue, status: Int, _ config: GPSimulatorConfiguration) -> Response {
        Response.json(status: HTTPStatus(status), config.envelope ? JSONValue.object([config.envelopeKey: value]) : value)
    }

    /// GP-style error: `{"Errors":[{"Code":…,"Message":…}]}`.
    func gpError(_ status: Int, _ code: String, _ message: String, _ config: GPSimulatorConfiguration) -> Response {
        Response.json(status: HTTPStatus(status), JSONValue.object(["Errors": .array([.object(["Code": .string(code), "Message": .string(message)])])]))
    }
}
