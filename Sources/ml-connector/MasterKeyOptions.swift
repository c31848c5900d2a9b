import Crypto
import Foundation
import Logging

/// Loads the master key ring the way every command does: `MLC_MASTER_KEY`, else
/// `MLC_MASTER_KEY_FILE`, else `<home>/master.key`. Only with the embedded database (no
/// `DATABASE_URL`) may a missing key file be created: a shared database must never get a fresh
/// key that cannot open what is already sealed in it.
enum MasterKeyOptions {
    static func loadKeyring(database: DatabaseOptions, logger: Logger) throws -> Keyring {
        let loaded = try MasterKey.load(home: database.homeURL, createIfMissing: database.databaseURL == nil)
        if loaded.created {
            logger.notice("generated a new master key; keep it safe, it seals every stored credential",
                          metadata: ["source": .string("\(loaded.source)"), "key_id": .string(loaded.key.id)])
        } else {
            logger.info("master key loaded", metadata: ["source": .string("\(loaded.source)"), "key_id": .string(loaded.key.id)])
        }
        for warning in loaded.warnings {
            logger.warning("master key", metadata: ["warning": .string(warning.description)])
        }
        return try Keyring(current: loaded.key, previous: try MasterKey.previousKeys())
    }
}
