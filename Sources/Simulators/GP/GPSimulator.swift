import Foundation
import HTTPServer
import Logging
import Synchronization

/// A stand-in for a Dynamics GP SBA server, for the demo, the tests and integrators without GP.
///
/// It serves the SBA URL scheme for any tenant and company name, the `Payload` envelope, items,
/// price lists, item sites, customers and addresses (date-only ModifiedDate, optional
/// `?modifiedSince=` and `?skip=&take=`), and receivables invoices with GP's posting rules
/// (unique document number, closed fiscal periods, customer on hold or inactive, exchange rate for
/// a foreign currency, document amount = sum of parts). Basic authentication, latency, fault
/// injection and a peak-concurrency counter make the client's retries and throttle testable.
/// It speaks plain HTTP (our HTTPServer has no TLS): put a TLS proxy in front to test certificates.
///
/// ```swift
/// var config = GPSimulatorConfiguration()
/// config.users = ["CONTOSO\\svc-gp": "secret"]
/// let sim = try GPSimulator(configuration: config, seed: GPSimulatorSeed(generate: .init(items: 100)))
/// try sim.start(port: 0)
/// let url = sim.companyURL(company: "Fabrikam, Inc.")   // http://127.0.0.1:<port>/GPService/Tenants(DefaultTenant)/Companies(Fabrikam%2C%20Inc.)/
/// sim.injectFaults(GPSimulatorFaults(failNext: 2))      // next two calls: 503
/// sim.stop()
/// ```
/// Admin endpoints (no authentication; bind to loopback): see `GPSimulator+Admin.swift`.
public final class GPSimulator: Sendable {
    public let store: GPSimulatorStore
    let configuration: Mutex<GPSimulatorConfiguration>
    let faults = Mutex(GPSimulatorFaults())
    let counters = Mutex(GPSimulatorStats())
    let server = Mutex<HTTPServer?>(nil)
    let logger: Logger

    public init(configuration: GPSimulatorConfiguration = GPSimulatorConfiguration(), seed: GPSimulatorSeed? = nil,
                logger: Logger = Logger(label: "ml-connector.simulator.gp")) throws {
        let fixedToday = configuration.today.flatMap(GPSimDay.parse)
        self.store = GPSimulatorStore(today: { fixedToday ?? GPSimDay.today() })
        self.configuration = Mutex(configuration)
        self.logger = logger
        if let seed { try store.load(seed) }
    }

    /// Starts serving; returns the bound port (`port: 0` picks a free one).
    @discardableResult
    public func start(host: String = "127.0.0.1", port: Int = 0) throws -> Int {
        let http = HTTPServer(configuration: ServerConfiguration(host: host, port: port, maxBodyBytes: 4 << 20,
                                                                 idleTimeout: .seconds(30), maxConnections: 256),
                              router: router(), logger: logger)
        try http.start()
        server.withLock { $0 = http }
        return http.port
    }

    /// Stops serving; in-flight requests finish first.
    public func stop() {
        let http = server.withLock { s -> HTTPServer? in
            defer { s = nil }
            return s
        }
        http?.shutdown(timeout: .seconds(5))
    }

    /// The bound port (0 before `start`).
    public var port: Int { server.withLock { $0?.port ?? 0 } }

    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// A full company URL, as a tenant would register it, with the name percent-encoded.
    public func companyURL(company: String = "Fabrikam, Inc.", tenant: String = "DefaultTenant") -> String {
        func enc(_ s: String) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
        }
        return baseURL + "/GPService/Tenants(\(enc(tenant)))/Companies(\(enc(company)))/"
    }

    /// Replaces the pending faults.
    public func injectFaults(_ f: GPSimulatorFaults) {
        faults.withLock { $0 = f }
    }

    public func clearFaults() {
        faults.withLock { $0 = GPSimulatorFaults() }
    }

    public var pendingFaults: GPSimulatorFaults { faults.withLock { $0 } }

    /// Latency added to every GP request.
    public func setLatency(ms: Int) {
        configuration.withLock { $0.latencyMs = max(0, ms) }
    }

    public var stats: GPSimulatorStats { counters.withLock { $0 } }

    /// Zeroes the request count and the peak (keeps requests in flight).
    public func resetStats() {
        counters.withLock { c in
            c.requests = 0
            c.peakConcurrent = c.inFlight
        }
    }

    /// Every posted receivables document, in posting order.
    public var postedDocuments: [GPSimDocument] { store.documents }

    /// The routes: SBA shapes of 2 to 6 segments after the tenant, plus `/_sim/…`.
    func router() -> Router {
        var router = Router()
        let handler: Router.Handler = { [self] request in handleGP(request) }
        var pattern = "/{service}/{tenant}"
        for depth in 1...7 {
            pattern += "/{s\(depth)}"
            for method in [HTTPMethod.GET, .POST, .PATCH, .PUT, .DELETE] {
                router.add(method, pattern, handler)
            }
        }
        addAdminRoutes(to: &router)
        return router
    }
}
