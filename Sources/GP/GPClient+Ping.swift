import Foundation

/// The answer to "can we reach this GP company with these credentials?".
public struct GPPingResult: Sendable, Equatable {
    public var ok: Bool
    /// Milliseconds of the last call made.
    public var latencyMs: Int
    /// What was fetched: `help` and, with server paging, `first_customer`.
    public var checked: [String]
    public var error: GPError?
}

extension GPClient {
    /// Fetches the tenant's help page (proves host, TLS and credentials) and, when the server
    /// pages, the company's first customer (proves the company name and paths). Without paging a
    /// customer list would be the whole list, which is too heavy for a ping.
    public func ping() -> GPPingResult {
        var result = GPPingResult(ok: false, latencyMs: 0, checked: [], error: nil)
        do {
            let started = Date()
            let help = GPRequest(method: "GET", url: company.helpURL(), headers: [GPHeader("Accept", "text/html, application/json")],
                                 timeout: min(settings.requestTimeout, 30))
            _ = try perform(help, context: GPCallContext(kind: .read, resource: "help", company: company.name))
            result.latencyMs = Int(Date().timeIntervalSince(started) * 1000)
            result.checked.append("help")
            if settings.serverPaging {
                let started = Date()
                let url = company.resourceURL(settings.paths.customers,
                                              query: [(settings.skipParameter, "0"), (settings.takeParameter, "1")],
                                              settings: settings)
                let response = try perform(request("GET", url), context: GPCallContext(kind: .list, resource: settings.paths.customers, company: company.name))
                try GPEnvelope.forEachChunk(GPCustomer.self, from: response.body, settings: settings, chunkSize: 1) { _ in }
                result.latencyMs = Int(Date().timeIntervalSince(started) * 1000)
                result.checked.append("first_customer")
            }
            result.ok = true
        } catch let error as GPError {
            result.error = error
        } catch {
            result.error = .badResponse(detail: "\(error)")
        }
        return result
    }
}
