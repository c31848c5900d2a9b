import Foundation
import Postgres

/// Stores tenants: settings as JSON in `tenants`, each secret sealed by the `Vault` in
/// `tenant_secrets`. All validation happens in `TenantValidator` before a row is written; this
/// type only moves validated values in and out of SQL.
///
/// Every write also sends `NOTIFY tenants_changed, '<tenant id>'` in its transaction, so each
/// process (the runtime's schedules and limits, the API's caches) sees the change at commit.
public final class TenantStore: Sendable {
    /// The NOTIFY channel of tenant writes; the payload is the tenant id.
    public static let changedChannel = "tenants_changed"
    static let notifyChanged = "SELECT pg_notify('\(changedChannel)', $1)"

    let pool: ConnectionPool
    public let vault: Vault
    public let validator: TenantValidator

    public init(pool: ConnectionPool, vault: Vault, validator: TenantValidator) {
        self.pool = pool
        self.vault = vault
        self.validator = validator
    }

    static let selectTenant = """
        SELECT t.id, t.settings::text AS settings, t.created_at, t.updated_at,
               coalesce((SELECT string_agg(s.field, ',') FROM tenant_secrets s WHERE s.tenant_id = t.id), '') AS fields
        FROM tenants t
        """

    /// Registers a tenant; the id is the document's or a new UUID. Conflicts on id or name.
    public func create(_ tenant: ValidatedTenant) throws(TenantStoreError) -> Tenant {
        let id = tenant.id ?? TenantID.random()
        return try run { conn in
            try conn.transaction { tx in
                try tx.execute("INSERT INTO tenants (id, name, settings) VALUES ($1, $2, $3::jsonb)",
                               id.rawValue, tenant.settings.name, String(decoding: tenant.settings.document.jsonData(), as: UTF8.self))
                try writeSecrets(tx, id: id, tenant.newSecrets, keep: tenant.secretFields)
                _ = try tx.query(Self.notifyChanged, id.rawValue)
                return try load(tx, id)!
            }
        }
    }

    public func tenant(_ id: TenantID) throws(TenantStoreError) -> Tenant? {
        try run { conn in try load(conn, id) }
    }

    /// Tenants ordered by id, `limit` at a time, starting after `after`.
    public func list(limit: Int, after: TenantID?) throws(TenantStoreError) -> [Tenant] {
        try run { conn in
            try conn.query(Self.selectTenant + " WHERE t.id > $1 ORDER BY t.id LIMIT $2", after?.rawValue ?? "", limit)
                .map { try decode($0) }
        }
    }

    /// Applies a JSON merge patch, validates the result, and saves it in one transaction.
    public func patch(_ id: TenantID, with patch: DocumentValue) throws(TenantStoreError) -> Tenant {
        guard case .object = patch else { throw .invalidPatch("A PATCH body is a JSON object (JSON merge patch).") }
        return try run { conn in
            try conn.transaction { tx in
                guard let row = try tx.query(Self.selectTenant + " WHERE t.id = $1 FOR UPDATE", id.rawValue).first else {
                    throw TenantStoreError.notFound(id)
                }
                let (stored, fields) = try storedDocument(row)
                let merged = TenantPatch.apply(patch, to: stored, storedSecrets: fields)
                let validated = try validator.validate(merged.document, keptSecrets: merged.keptSecrets)
                if let newID = validated.id, newID != id {
                    throw TenantValidationError([FieldIssue(field: "id", code: "immutable", message: "A tenant's id cannot be changed.")])
                }
                try tx.execute("UPDATE tenants SET name = $2, settings = $3::jsonb, updated_at = now() WHERE id = $1",
                               id.rawValue, validated.settings.name, String(decoding: validated.settings.document.jsonData(), as: UTF8.self))
                try writeSecrets(tx, id: id, validated.newSecrets, keep: validated.secretFields)
                _ = try tx.query(Self.notifyChanged, id.rawValue)
                return try load(tx, id)!
            }
        }
    }

    /// Removes a tenant with its secrets and tokens; false when there was none.
    public func delete(_ id: TenantID) throws(TenantStoreError) -> Bool {
        try run { conn in
            // One statement: the NOTIFY is sent (at commit) only when a row went away.
            try !conn.query("""
                WITH gone AS (DELETE FROM tenants WHERE id = $1 RETURNING id)
                SELECT pg_notify('\(Self.changedChannel)', id) FROM gone
                """, id.rawValue).isEmpty
        }
    }

    /// The tenant's secrets in plaintext, for the outbound clients. Never for a response.
    public func secrets(of id: TenantID) throws(TenantStoreError) -> SecretValues {
        try run { conn in
            var values = SecretValues()
            for row in try conn.query("SELECT field, sealed FROM tenant_secrets WHERE tenant_id = $1", id.rawValue) {
                guard let field = SecretField(rawValue: try row.decode("field")) else { continue }
                values[field] = try vault.open(try row.decode("sealed"), tenant: id, field: field)
            }
            return values
        }
    }

    // MARK: - SQL helpers

    func run<T>(_ body: (Connection) throws -> T) throws(TenantStoreError) -> T {
        do { return try pool.withConnection(body) } catch { throw TenantStoreError.from(error) }
    }

    func writeSecrets(_ tx: Connection, id: TenantID, _ secrets: SecretValues, keep: Set<SecretField>) throws {
        for (field, value) in secrets.values.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where keep.contains(field) {
            let sealed = try vault.seal(value, tenant: id, field: field)
            try tx.execute("""
                INSERT INTO tenant_secrets (tenant_id, field, sealed, key_id) VALUES ($1, $2, $3, $4)
                ON CONFLICT (tenant_id, field) DO UPDATE SET sealed = excluded.sealed, key_id = excluded.key_id, updated_at = now()
                """, id.rawValue, field.rawValue, sealed, vault.currentKeyID)
        }
        try tx.execute("DELETE FROM tenant_secrets WHERE tenant_id = $1 AND NOT (field = ANY($2))",
                       [.text(id.rawValue), .array(keep.map(\.rawValue))])
    }

    func load(_ conn: Connection, _ id: TenantID) throws -> Tenant? {
        try conn.query(Self.selectTenant + " WHERE t.id = $1", id.rawValue).first.map { try decode($0) }
    }

    func storedDocument(_ row: Row) throws -> (DocumentValue, Set<SecretField>) {
        let text: String = try row.decode("settings")
        let fields = Set(try row.decode("fields", as: String.self).split(separator: ",").compactMap { SecretField(rawValue: String($0)) })
        guard let doc = try? DocumentValue.parse(Array(text.utf8)) else {
            throw TenantStoreError.corrupt(TenantID(try row.decode("id")) ?? TenantID("invalid")!)
        }
        return (doc, fields)
    }

    func decode(_ row: Row) throws -> Tenant {
        guard let id = TenantID(try row.decode("id")) else { throw TenantStoreError.database(code: "tenant_corrupt", message: "A stored tenant id is invalid.") }
        let (doc, fields) = try storedDocument(row)
        guard let validated = try? validator.validate(doc, keptSecrets: fields) else { throw TenantStoreError.corrupt(id) }
        return Tenant(id: id, settings: validated.settings, secretFields: fields,
                      createdAt: try row.decode("created_at"), updatedAt: try row.decode("updated_at"))
    }
}
