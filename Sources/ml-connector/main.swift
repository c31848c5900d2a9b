import ArgumentParser

/// The one executable: every role of ml-connector is a subcommand.
struct MLConnector: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ml-connector",
        abstract: "Keeps Microsoft Dynamics GP and Adobe Commerce in step for many merchants.",
        discussion: """
        Every option can also be set by an environment variable with the MLC_ prefix \
        (for example --port is MLC_PORT); the database URL is DATABASE_URL. \
        With no database URL, serve starts an embedded PostgreSQL under --home.
        """,
        subcommands: [Serve.self, Worker.self, AgentCommand.self, Demo.self, Migrate.self, TokensCommand.self, KeysCommand.self, SimulateCommand.self]
    )
}

MLConnector.main()
