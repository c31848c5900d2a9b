import Crypto
import Foundation
import Postgres

/// Issues, checks, lists and revokes API tokens (`api_tokens`). Tokens are random, shown once,
/// stored as SHA-256; a presented token is found by its public id and its hash compared in
/// constant time.
public final class TokenStore: Sendable {
    let pool: ConnectionPool
    /// `last_used_at` is written at most this often per token, so each request is not a write.
    public let lastUsedResolution: Duration

    public init(pool: ConnectionPool, lastUsedResolution: Duration = .seconds(60)) {
        self.pool = pool
        self.lastUsedResolution = lastUsedResolution
    }

    public func issue(scope: TokenScope, name: String = "") throws(TokenStoreError) -> IssuedToken {
        let id: String, bearer: String
        do {
            id = Hex.encode(try SecureRandom.bytes(8))
            bearer = BearerToken.prefix + id + "_" + Base64URL.encode(try SecureRandom.bytes(32))
        } catch {
            throw .unavailable("no secure random bytes")
        }
        return try run { conn in
            let row = try conn.query("""
                INSERT INTO api_tokens (id, token_hash, scope, tenant_id, name) VALUES ($1, $2, $3, $4, $5)
                RETURNING id, scope, tenant_id, name, created_at, last_used_at
                """, id, SHA256.hash(bearer), scope.kind, scope.tenant?.rawValue, name)[0]
            return IssuedToken(token: try Self.decode(row), bearer: bearer)
        }
    }

    /// The token a bearer string stands for, or nil when it is malformed, unknown or revoked.
    public func authenticate(_ bearer: String) throws(TokenStoreError) -> APIToken? {
        guard let parsed = BearerToken(bearer) else { return nil }
        let presented = SHA256.hash(parsed.text)
        return try run { conn in
            guard let row = try conn.query("""
                SELECT id, token_hash, scope, tenant_id, name, created_at, last_used_at FROM api_tokens WHERE id = $1
                """, parsed.id).first else { return nil }
            let stored: [UInt8] = try row.decode("token_hash")
            guard constantTimeEquals(stored, presented) else { return nil }
            var token = try Self.decode(row)
            let seconds = Int(lastUsedResolution.components.seconds)
            let touched = try conn.query("""
                UPDATE api_tokens SET last_used_at = now() WHERE id = $1
                AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2))
                RETURNING last_used_at
                """, token.id, seconds)
            if let first = touched.first { token.lastUsedAt = try first.decode("last_used_at") }
            return token
        }
    }

    /// Tokens of one tenant (tenant and agent scopes), newest first.
    public func list(tenant: TenantID) throws(TokenStoreError) -> [APIToken] {
        try run { conn in
            try conn.query("""
                SELECT id, scope, tenant_id, name, created_at, last_used_at FROM api_tokens
                WHERE tenant_id = $1 ORDER BY created_at DESC, id
                """, tenant.rawValue).map(Self.decode)
        }
    }

    /// Revokes (deletes) a token of that tenant; false when there is no such token there.
    public func revoke(id: String, tenant: TenantID) throws(TokenStoreError) -> Bool {
        try run { conn in
            try conn.execute("DELETE FROM api_tokens WHERE id = $1 AND tenant_id = $2", id, tenant.rawValue) > 0
        }
    }

    func run<T>(_ body: (Connection) throws -> T) throws(TokenStoreError) -> T {
        do { return try pool.withConnection(body) } catch let e as TokenStoreError { throw e } catch let e as PostgresError {
            if e.sqlState == "23503" { throw .tenantNotFound }
            throw .unavailable(e.code.rawValue)
        } catch {
            throw .unavailable("unexpected")
        }
    }

    static func decode(_ row: Row) throws -> APIToken {
        let tenant = try row.decode("tenant_id", as: String?.self).flatMap(TenantID.init)
        guard let scope = TokenScope(kind: try row.decode("scope"), tenant: tenant) else {
            throw TokenStoreError.unavailable("stored token has an invalid scope")
        }
        return APIToken(id: try row.decode("id"), scope: scope, name: try row.decode("name"),
                        createdAt: try row.decode("created_at"), lastUsedAt: try row.decode("last_used_at"))
    }
}

public enum TokenStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case tenantNotFound
    case unavailable(String)

    public var code: String {
        switch self {
        case .tenantNotFound: "tenant_not_found"
        case .unavailable: "database_unavailable"
        }
    }

    public var message: String {
        switch self {
        case .tenantNotFound: "No such tenant."
        case .unavailable(let why): "Tokens cannot be checked right now (\(why))."
        }
    }

    public var description: String { "\(code): \(message)" }
}
