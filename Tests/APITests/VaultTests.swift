import API
import Connector
import Crypto
import Foundation
import Postgres
import Testing

/// Sealed secrets in the database: bound to tenant and field, rotated under a new key without
/// losing one, and a wrong master key refused at start instead of yielding garbage.
@Suite(.serialized) struct VaultTests {
    @Test func aSealedSecretCopiedToAnotherTenantOrFieldFailsToOpen() throws {
        let h = try APIHarness("aad")
        defer { h.stop() }
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON()).status == 201)
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON(id: "fabrikam", name: "Fabrikam")).status == 201)
        let c = try Connection(h.conninfo)
        // Fabrikam's password row gets Contoso's ciphertext.
        try c.execute("""
            UPDATE tenant_secrets SET sealed = (SELECT sealed FROM tenant_secrets WHERE tenant_id = 'contoso' AND field = 'gp.password')
            WHERE tenant_id = 'fabrikam' AND field = 'gp.password'
            """)
        #expect(throws: TenantStoreError.self) { try h.plane.tenants.secrets(of: TenantID("fabrikam")!) }
        // Contoso's consumer secret moved into its own password field.
        try c.execute("""
            UPDATE tenant_secrets SET sealed = (SELECT sealed FROM tenant_secrets WHERE tenant_id = 'contoso' AND field = 'commerce.auth.consumer_secret')
            WHERE tenant_id = 'contoso' AND field = 'gp.password'
            """)
        do {
            _ = try h.plane.tenants.secrets(of: TenantID("contoso")!)
            Issue.record("a moved ciphertext opened")
        } catch {
            #expect(error.code == "secret_unreadable")
            #expect(!error.message.contains(Fixtures.consumerSecret))
        }
        // Answered as a JSON error, not a crash, and still without the secret.
        let ping = try h.admin("POST", "/v1/tenants/contoso/ping")
        #expect(ping.status == 500)
        #expect(ping.errorCode == "secret_unreadable")
        #expect(ping.leaksNoSecret)
    }

    @Test func rotationResealsEverySecretUnderTheNewKeyWhileBothKeysOpen() throws {
        let old = try MasterKey.generate(), new = try MasterKey.generate()
        let h = try APIHarness("rotate", keyring: try Keyring(current: old))
        defer { h.stop() }
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON()).status == 201)
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON(id: "fabrikam", name: "Fabrikam")).status == 201)
        let before = try h.plane.tenants.secrets(of: TenantID("contoso")!)

        let pool = ConnectionPool(conninfo: h.conninfo, maxConnections: 2)
        defer { pool.close() }
        let rotating = TenantStore(pool: pool, vault: Vault(keyring: try Keyring(current: new, previous: [old])), validator: .standard)
        try rotating.checkKeys()
        #expect(try rotating.secretsNeedingRotation() == 10)
        // During the rotation, old and new secrets both open.
        #expect(try rotating.secrets(of: TenantID("contoso")!) == before)
        #expect(try rotating.rotateKeys(batchSize: 3) == 10)
        #expect(try rotating.secretsNeedingRotation() == 0)
        #expect(try rotating.rotateKeys() == 0)

        // After it, the new key alone opens everything; the old one alone is refused up front.
        let newOnly = TenantStore(pool: pool, vault: Vault(keyring: try Keyring(current: new)), validator: .standard)
        try newOnly.checkKeys()
        #expect(try newOnly.secrets(of: TenantID("contoso")!) == before)
        let oldOnly = TenantStore(pool: pool, vault: Vault(keyring: try Keyring(current: old)), validator: .standard)
        #expect(throws: TenantStoreError.self) { try oldOnly.checkKeys() }
        do { try oldOnly.checkKeys() } catch { #expect(error.code == "master_key_mismatch") }
        // The raw rows still hold no plaintext.
        let raw = try h.rawTableBytes()
        for secret in Fixtures.allSecrets { #expect(raw.firstRange(of: Array(secret.utf8)) == nil) }
    }

    @Test func aWrongMasterKeyIsRefusedAtStartNotWhenASecretIsNeeded() throws {
        let h = try APIHarness("wrongkey")
        defer { h.stop() }
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON()).status == 201)
        try h.plane.tenants.checkKeys()
        let pool = ConnectionPool(conninfo: h.conninfo, maxConnections: 1)
        defer { pool.close() }
        let wrong = TenantStore(pool: pool, vault: Vault(keyring: try Keyring(current: MasterKey.generate())), validator: .standard)
        do {
            try wrong.checkKeys()
            Issue.record("a wrong key passed the check")
        } catch {
            #expect(error.code == "master_key_mismatch")
            #expect(error.message.contains("MLC_MASTER_KEY"))
        }
    }

    @Test func sameKeyIdDifferentBytesIsCaughtByTheProbe() throws {
        let h = try APIHarness("probe")
        defer { h.stop() }
        #expect(try h.admin("POST", "/v1/tenants", json: Fixtures.tenantJSON()).status == 201)
        let pool = ConnectionPool(conninfo: h.conninfo, maxConnections: 1)
        defer { pool.close() }
        let impostor = try MasterKey(bytes: [UInt8](repeating: 7, count: 32), id: h.keyring.current.id)
        let store = TenantStore(pool: pool, vault: Vault(keyring: try Keyring(current: impostor)), validator: .standard)
        do {
            try store.checkKeys()
            Issue.record("an impostor key passed the check")
        } catch {
            #expect(error.code == "secret_unreadable")
        }
    }
}
