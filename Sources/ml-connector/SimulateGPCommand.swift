import ArgumentParser
import Foundation
import Glibc
import Simulators

/// `ml-connector simulate gp`: the GP SBA simulator on its own, for integrators without a GP server.
struct SimulateGP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gp",
        abstract: "Run the Dynamics GP SBA simulator (plain HTTP) until interrupted.",
        discussion: """
        Serves /GPService/Tenants(<tenant>)/Companies(<company>)/… with the Payload envelope, items, price lists,
        item sites, customers, addresses and receivables invoices with GP's posting rules. Admin endpoints under
        /_sim/ (faults, latency, stats, documents, seed) need no authentication: keep the simulator on loopback.
        """)

    @Option(help: "Address to bind.")
    var host: String = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 8091

    @Option(help: "Seed file (JSON): records, exchange rates, closed periods, and/or a generator.")
    var seed: String?

    @Option(name: .customLong("generate-items"), help: "Add N generated items (with prices and site quantities).")
    var generateItems: Int = 0

    @Option(name: .customLong("generate-customers"), help: "Add N generated customers (with a PRIMARY address).")
    var generateCustomers: Int = 0

    @Option(name: .customLong("latency-ms"), help: "Milliseconds added to every GP request.")
    var latencyMs: Int = 0

    @Option(help: "Basic-auth user name (DOMAIN\\user accepted). Without --user, no authentication.")
    var user: String?

    @Option(help: "Basic-auth password (or set MLC_SIM_GP_PASSWORD).")
    var password: String?

    @Option(name: .customLong("company"), help: "Serve only these company names (repeatable); default: any name.")
    var companies: [String] = []

    @Flag(name: .customLong("no-envelope"), help: "Send and expect bare JSON instead of {\"Payload\": …}.")
    var noEnvelope = false

    @Flag(name: .customLong("no-paging"), help: "Ignore ?skip=&take= like a server without paging.")
    var noPaging = false

    @Flag(name: .customLong("no-modified-filter"), help: "Ignore ?modifiedSince= like a server without that filter.")
    var noModifiedFilter = false

    func validate() throws {
        if user != nil, password == nil, ProcessInfo.processInfo.environment["MLC_SIM_GP_PASSWORD"] == nil {
            throw ValidationError("--user needs --password or MLC_SIM_GP_PASSWORD")
        }
        if port < 0 || port > 65_535 { throw ValidationError("--port must be 0…65535") }
    }

    func run() throws {
        var config = GPSimulatorConfiguration()
        if let user {
            config.users = [user: password ?? ProcessInfo.processInfo.environment["MLC_SIM_GP_PASSWORD"] ?? ""]
        }
        config.companies = companies.isEmpty ? nil : companies
        config.envelope = !noEnvelope
        config.paging = !noPaging
        config.modifiedFilter = !noModifiedFilter
        config.latencyMs = max(0, latencyMs)

        var initial = try seed.map { try GPSimulatorSeed.load(path: $0) } ?? GPSimulatorSeed()
        if generateItems > 0 || generateCustomers > 0 {
            var generate = initial.generate ?? GPSimGenerate()
            generate.items += generateItems
            generate.customers += generateCustomers
            initial.generate = generate
        }
        let simulator = try GPSimulator(configuration: config, seed: initial)

        // Block the stop signals before any thread starts, then wait for one of them here.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        let bound = try simulator.start(host: host, port: port)
        let shownHost = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        print("GP simulator listening on http://\(shownHost):\(bound)")
        print("company URL: http://\(shownHost):\(bound)/GPService/Tenants(DefaultTenant)/Companies(\(companies.first.map { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0 } ?? "Fabrikam%2C%20Inc."))/")
        print("records: items=\(simulator.store.count(.items)) customers=\(simulator.store.count(.customers)); auth: \(user == nil ? "none" : "basic")")
        var received: Int32 = 0
        sigwait(&signals, &received)
        print("stopping")
        simulator.stop()
    }
}
