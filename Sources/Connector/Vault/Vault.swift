import Crypto

/// Seals and opens tenant secrets under the master key ring. The associated data of every
/// ciphertext is the tenant id and field name, so a sealed value only opens where it was
/// written. Plaintext never leaves this type except to the caller that asked for it.
public struct Vault: Sendable {
    public let keyring: Keyring

    public init(keyring: Keyring) {
        self.keyring = keyring
    }

    public var currentKeyID: String { keyring.current.id }

    public static func associatedData(tenant: TenantID, field: SecretField) -> String {
        SealedSecret.aad(tenant: tenant.rawValue, field: field.rawValue)
    }

    public func seal(_ plaintext: String, tenant: TenantID, field: SecretField) throws(VaultError) -> [UInt8] {
        do {
            return try keyring.seal(plaintext, aad: Vault.associatedData(tenant: tenant, field: field))
        } catch {
            throw .sealFailed(error.code)
        }
    }

    public func open(_ sealed: [UInt8], tenant: TenantID, field: SecretField) throws(VaultError) -> String {
        do {
            return try keyring.openString(sealed, aad: Vault.associatedData(tenant: tenant, field: field))
        } catch {
            throw .cannotOpen(tenant: tenant, field: field, reason: error.code)
        }
    }

    /// Re-seals under the current key; nil when it already is.
    public func resealIfNeeded(_ sealed: [UInt8], tenant: TenantID, field: SecretField) throws(VaultError) -> [UInt8]? {
        do {
            guard try keyring.needsResealing(sealed) else { return nil }
            return try keyring.reseal(sealed, aad: Vault.associatedData(tenant: tenant, field: field))
        } catch {
            throw .cannotOpen(tenant: tenant, field: field, reason: error.code)
        }
    }

    /// The key id a sealed value names (stored beside it for rotation).
    public static func keyID(of sealed: [UInt8]) -> String? {
        try? SealedSecret(parsing: sealed).keyID
    }
}

/// Vault failures. Messages name the tenant and field, never a value or key.
public enum VaultError: Error, Sendable, Equatable, CustomStringConvertible {
    case sealFailed(String)
    case cannotOpen(tenant: TenantID, field: SecretField, reason: String)
    /// Secrets in the database were sealed under keys the ring does not hold.
    case unknownKeys([String])

    public var code: String {
        switch self {
        case .sealFailed: "seal_failed"
        case .cannotOpen: "secret_unreadable"
        case .unknownKeys: "master_key_mismatch"
        }
    }

    public var message: String {
        switch self {
        case .sealFailed(let reason): "A secret could not be sealed (\(reason))."
        case .cannotOpen(let tenant, let field, let reason):
            "The secret \(field.rawValue) of tenant \(tenant) cannot be opened with the configured master key (\(reason)); check MLC_MASTER_KEY and MLC_MASTER_KEY_PREVIOUS."
        case .unknownKeys(let ids):
            "Secrets in the database are sealed under master key id(s) \(ids.joined(separator: ", ")), which the configured keys do not include; set MLC_MASTER_KEY (or MLC_MASTER_KEY_PREVIOUS during a rotation) to the right key."
        }
    }

    public var description: String { "\(code): \(message)" }
}
