import ArgumentParser
import Connector
import Crypto
import Foundation
import Logging
import Postgres

/// `ml-connector keys`: master key rotation.
///
/// Rotation without downtime:
/// 1. `ml-connector keys generate` prints a new key.
/// 2. Run every server with `MLC_MASTER_KEY=<new>` and `MLC_MASTER_KEY_PREVIOUS=<old>`: new secrets
///    are sealed under the new key, old ones still open.
/// 3. `ml-connector keys rotate` (same variables) re-seals every secret under the new key.
/// 4. Drop `MLC_MASTER_KEY_PREVIOUS`.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Master key rotation: generate a key, re-seal every secret under the current key.",
        subcommands: [Rotate.self, Generate.self, Check.self])

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-seal every stored secret under the current master key.",
            discussion: """
            The current key is MLC_MASTER_KEY (or MLC_MASTER_KEY_FILE, or <home>/master.key); the \
            keys it replaces are listed in MLC_MASTER_KEY_PREVIOUS (comma-separated base64). Servers \
            keep running meanwhile: they open secrets under either key. Safe to run again; it prints \
            how many secrets it re-sealed.
            """)

        @Option(help: "Secrets re-sealed per transaction.")
        var batchSize: Int = 100

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let logger = bootstrapLogging(level: database.logLevel, label: "mlc.keys")
            try withTenantStore(database, logger: logger) { store in
                let before = try store.secretsNeedingRotation()
                logger.info("rotating", metadata: ["current_key": .string(store.vault.currentKeyID), "secrets_to_reseal": "\(before)"])
                let count = try store.rotateKeys(batchSize: max(1, batchSize))
                let left = try store.secretsNeedingRotation()
                logger.info("rotation finished", metadata: ["resealed": "\(count)", "remaining": "\(left)"])
                print("re-sealed \(count) secret(s) under key \(store.vault.currentKeyID); \(left) left under other keys")
                if left > 0 { throw ExitCode.failure }
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that the configured master key(s) open the stored secrets.")

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let logger = bootstrapLogging(level: database.logLevel, label: "mlc.keys")
            try withTenantStore(database, logger: logger) { store in
                try store.checkKeys()
                print("ok: every stored secret names a configured key; \(try store.secretsNeedingRotation()) still under an older key")
            }
        }
    }

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new random master key (base64 of 32 bytes) for MLC_MASTER_KEY.")

        func run() throws {
            print(try MasterKey.generate().exportBase64())
        }
    }
}

/// Opens the database and a `TenantStore` with the configured key ring, runs `body`, and turns
/// every failure into a logged line and exit code 1 (messages never carry a key or secret).
private func withTenantStore(_ options: DatabaseOptions, logger: Logger, _ body: (TenantStore) throws -> Void) throws {
    let keyring: Keyring
    do {
        let loaded = try MasterKey.load(home: options.homeURL, createIfMissing: false)
        for warning in loaded.warnings { logger.warning("master key", metadata: ["warning": .string(warning.description)]) }
        keyring = try Keyring(current: loaded.key, previous: try MasterKey.previousKeys())
    } catch let error as CryptoError {
        logger.error("cannot load the master key", metadata: ["error": .string(error.description)])
        throw ExitCode.failure
    }
    do {
        try DatabaseSession.withMigratedPool(options, logger: logger) { pool in
            try body(TenantStore(pool: pool, vault: Vault(keyring: keyring), validator: .standard))
        }
    } catch let error as ExitCode {
        throw error
    } catch let error as TenantStoreError {
        logger.error("key operation failed", metadata: ["error": .string(error.code), "message": .string(error.message)])
        throw ExitCode.failure
    } catch {
        logger.error("key operation failed", metadata: ["error": .string("\(error)")])
        throw ExitCode.failure
    }
}
