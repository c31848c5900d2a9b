import ArgumentParser

/// `ml-connector simulate gp|commerce`: the built-in simulators, for integrators testing without
/// real systems. They serve the demo and the tests too.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a simulated Dynamics GP or Adobe Commerce on this machine.",
        subcommands: [SimulateGP.self, SimulateCommerce.self])
}
