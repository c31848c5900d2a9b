import ArgumentParser
import Connector
import Foundation
import Logging
import Postgres

/// `ml-connector tokens create --admin`: bootstraps API access. The token goes to stdout, alone on
/// one line, so `TOKEN=$(ml-connector tokens create --admin)` works; it is never shown again.
struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Issue API tokens from the command line (an admin token to bootstrap the API).",
        subcommands: [Create.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a token and print it once.",
            discussion: """
            --admin issues a token for the whole control plane. --tenant ID issues a token for one \
            tenant (with --agent, for its local agent). Only the token's SHA-256 is stored: keep the \
            printed token, it cannot be shown again. Revoke tenant tokens with \
            DELETE /v1/tenants/{tenant}/tokens/{id}.
            """)

        @Flag(help: "Issue an admin token (the whole control plane).")
        var admin = false

        @Option(help: "Issue a token for this tenant id.")
        var tenant: String?

        @Flag(help: "With --tenant: an agent token instead of a tenant token.")
        var agent = false

        @Option(help: "A label shown when tokens are listed.")
        var name: String = ""

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard admin != (tenant != nil) else { throw ValidationError("pass exactly one of --admin or --tenant ID") }
            guard !(admin && agent) else { throw ValidationError("--agent goes with --tenant, not --admin") }
            if let tenant, TenantID(tenant) == nil { throw ValidationError("--tenant must be a tenant id (a slug or a UUID)") }
            guard name.count <= 200 else { throw ValidationError("--name is at most 200 characters") }
        }

        var scope: TokenScope {
            guard let tenant, let id = TenantID(tenant) else { return .admin }
            return agent ? .agent(id) : .tenant(id)
        }

        func run() throws {
            let logger = bootstrapLogging(level: database.logLevel, label: "mlc.tokens")
            do {
                let issued = try DatabaseSession.withMigratedPool(database, logger: logger) { pool in
                    try TokenStore(pool: pool).issue(scope: scope, name: name)
                }
                logger.info("token issued", metadata: ["token": .string(issued.token.id), "scope": .string(scope.description)])
                print(issued.bearer)
                FileHandle.standardError.write(Data("Token \(issued.token.id) (\(scope)) issued. Store it now: it is not shown again.\n".utf8))
            } catch let error as ExitCode {
                throw error
            } catch let error as TokenStoreError {
                logger.error("cannot issue the token", metadata: ["error": .string(error.code), "message": .string(error.message)])
                throw ExitCode.failure
            } catch {
                logger.error("cannot issue the token", metadata: ["error": .string("\(error)")])
                throw ExitCode.failure
            }
        }
    }
}
