import Foundation
import HTTPServer

/// The simulator's admin endpoints (no authentication: bind the simulator to loopback).
///
/// | method | path | what |
/// |---|---|---|
/// | GET | /_sim/stats | `{"requests","in_flight","peak_concurrent_requests"}` |
/// | POST | /_sim/stats/reset | zero the request count and the peak |
/// | GET, POST, DELETE | /_sim/faults | read / replace / clear faults (`GPSimulatorFaults` JSON) |
/// | PUT | /_sim/latency | `{"latency_ms": 200}` added to every GP request |
/// | GET | /_sim/documents | posted receivables documents |
/// | POST | /_sim/seed | load a seed (`GPSimulatorSeed` JSON); `?replace=false` adds to the data |
/// | POST | /_sim/records/{resource} | add/replace records (JSON array) of `items`, `item_prices`, `item_sites`, `customers`, `customer_addresses`; ModifiedDate defaults to today |
/// | POST, DELETE | /_sim/closed-periods | close `{"from","to"}` for Sales / reopen all |
/// | PUT | /_sim/exchange-rates/{currency} | `{"rate": 1.08}`; `{"rate": null}` removes it |
extension GPSimulator {
    struct LatencyBody: Codable {
        var latencyMs: Int
        enum CodingKeys: String, CodingKey { case latencyMs = "latency_ms" }
    }

    struct RateBody: Codable {
        var rate: Decimal?
    }

    func addAdminRoutes(to router: inout Router) {
        router.add(.GET, "/_sim/stats") { [self] _ in .json(stats) }
        router.add(.POST, "/_sim/stats/reset") { [self] _ in
            resetStats()
            return .json(stats)
        }
        router.add(.GET, "/_sim/faults") { [self] _ in .json(pendingFaults) }
        router.add(.POST, "/_sim/faults") { [self] request in
            injectFaults(try request.decodeJSON(GPSimulatorFaults.self))
            return .json(pendingFaults)
        }
        router.add(.DELETE, "/_sim/faults") { [self] _ in
            clearFaults()
            return .json(pendingFaults)
        }
        router.add(.PUT, "/_sim/latency") { [self] request in
            let body = try request.decodeJSON(LatencyBody.self)
            setLatency(ms: body.latencyMs)
            return .json(LatencyBody(latencyMs: configuration.withLock { $0.latencyMs }))
        }
        router.add(.GET, "/_sim/documents") { [self] _ in .json(postedDocuments) }
        router.add(.POST, "/_sim/seed", maxBodyBytes: 256 << 20) { [self] request in
            let seed = try request.decodeJSON(GPSimulatorSeed.self, maxDepth: 16)
            let replace = (try request.query())["replace"].map { $0 != "false" } ?? true
            do {
                try store.load(seed, replace: replace)
            } catch {
                throw HTTPError.badRequest("invalid_seed", "\(error)")
            }
            return .json(counts())
        }
        router.add(.POST, "/_sim/records/{resource}", maxBodyBytes: 64 << 20) { [self] request in
            guard let resource = GPSimResource(rawValue: request.parameters["resource"] ?? ""), resource != .receivables else {
                throw HTTPError.notFound("unknown_resource", "Use items, item_prices, item_sites, customers or customer_addresses.")
            }
            let records = try request.decodeJSON([[String: JSONValue]].self, maxDepth: 16)
            do {
                try store.upsert(records, into: resource)
            } catch {
                throw HTTPError.badRequest("invalid_records", "\(error)")
            }
            return .json(counts())
        }
        router.add(.POST, "/_sim/closed-periods") { [self] request in
            let period = try request.decodeJSON(GPSimClosedPeriod.self)
            guard let from = GPSimDay.parse(period.from), let to = GPSimDay.parse(period.to) else {
                throw HTTPError.badRequest("invalid_period", "from and to must be dates (yyyy-MM-dd).")
            }
            store.closePeriod(from: from, to: to)
            return Response(status: .noContent)
        }
        router.add(.DELETE, "/_sim/closed-periods") { [self] _ in
            store.reopenAllPeriods()
            return Response(status: .noContent)
        }
        router.add(.PUT, "/_sim/exchange-rates/{currency}") { [self] request in
            let body = try request.decodeJSON(RateBody.self)
            store.setExchangeRate(body.rate, for: request.parameters["currency"] ?? "")
            return Response(status: .noContent)
        }
    }

    /// Record counts per resource.
    func counts() -> [String: Int] {
        var out: [String: Int] = [:]
        for resource in GPSimResource.allCases { out[resource.rawValue] = store.count(resource) }
        return out
    }
}
