import Postgres

/// Master key checks and rotation over `tenant_secrets`.
extension TenantStore {
    /// Start-up check: every stored secret names a key the vault holds, and one secret per key
    /// opens. A wrong `MLC_MASTER_KEY` is thus a clear error at start, never garbage later.
    public func checkKeys() throws(TenantStoreError) {
        try run { conn in
            let ids = try conn.query("SELECT DISTINCT key_id FROM tenant_secrets ORDER BY key_id", []).map { try $0.decode("key_id", as: String.self) }
            let unknown = ids.filter { vault.keyring.key(id: $0) == nil }
            guard unknown.isEmpty else { throw VaultError.unknownKeys(unknown) }
            for keyID in ids {
                let row = try conn.query("SELECT tenant_id, field, sealed FROM tenant_secrets WHERE key_id = $1 LIMIT 1", keyID)[0]
                guard let id = TenantID(try row.decode("tenant_id")), let field = SecretField(rawValue: try row.decode("field")) else { continue }
                _ = try vault.open(try row.decode("sealed"), tenant: id, field: field)
            }
        }
    }

    /// Re-seals every secret not under the current key, `batchSize` rows per transaction, and
    /// returns how many it re-sealed. Safe while servers run: they open either key meanwhile,
    /// and rows being changed by a PATCH are skipped (that PATCH seals under the new key).
    public func rotateKeys(batchSize: Int = 100) throws(TenantStoreError) -> Int {
        var total = 0
        while true {
            let n: Int = try run { conn in
                try conn.transaction { tx in
                    let rows = try tx.query("""
                        SELECT tenant_id, field, sealed FROM tenant_secrets WHERE key_id <> $1
                        ORDER BY tenant_id, field LIMIT $2 FOR UPDATE SKIP LOCKED
                        """, vault.currentKeyID, batchSize)
                    for row in rows {
                        guard let id = TenantID(try row.decode("tenant_id")), let field = SecretField(rawValue: try row.decode("field")) else { continue }
                        let sealed: [UInt8] = try row.decode("sealed")
                        let fresh = try vault.resealIfNeeded(sealed, tenant: id, field: field) ?? sealed
                        try tx.execute("UPDATE tenant_secrets SET sealed = $3, key_id = $4, updated_at = now() WHERE tenant_id = $1 AND field = $2",
                                       id.rawValue, field.rawValue, fresh, vault.currentKeyID)
                    }
                    return rows.count
                }
            }
            total += n
            if n < batchSize { return total }
        }
    }

    /// Secrets still sealed under an older key (0 once a rotation has finished).
    public func secretsNeedingRotation() throws(TenantStoreError) -> Int {
        try run { conn in try conn.query("SELECT count(*) AS n FROM tenant_secrets WHERE key_id <> $1", vault.currentKeyID)[0].decode("n") }
    }
}
