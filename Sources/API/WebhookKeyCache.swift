import Connector
import Crypto
import Foundation
import Logging
import Synchronization

/// Parsed webhook public keys per tenant, so a hook costs no PEM parsing and no database read.
/// Only known keys are cached: an unknown tenant is looked up each time, so unsigned callers
/// cannot fill memory with made-up tenant ids. Entries expire after `ttl` so a change made by
/// another process is seen; this process invalidates on its own tenant PATCH and DELETE.
final class WebhookKeyCache: Sendable {
    private struct Entry {
        let key: RSAPublicKey
        let loaded: ContinuousClock.Instant
    }

    private let tenants: TenantStore
    private let logger: Logger
    private let ttl: Duration
    private let entries = Mutex<[String: Entry]>([:])

    init(tenants: TenantStore, logger: Logger, ttl: Duration = .seconds(60)) {
        self.tenants = tenants
        self.logger = logger
        self.ttl = ttl
    }

    /// The tenant's webhook key; nil for an unknown tenant, one without a key, or a bad id.
    func key(for tenant: String) -> RSAPublicKey? {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[tenant] }), now - entry.loaded < ttl { return entry.key }
        guard let id = TenantID(tenant) else { return nil }
        let pem: String?
        do { pem = try tenants.tenant(id)?.settings.commerce.webhookPublicKey } catch {
            logger.error("webhook key not readable", metadata: ["tenant": "\(tenant)", "error": "\(error.code)"])
            return nil
        }
        guard let pem else {
            entries.withLock { _ = $0.removeValue(forKey: tenant) }
            return nil
        }
        let key: RSAPublicKey
        do { key = try RSAPublicKey(pem: pem) } catch {
            logger.error("stored webhook key does not parse", metadata: ["tenant": "\(tenant)", "error": "\(error)"])
            return nil
        }
        entries.withLock { $0[tenant] = Entry(key: key, loaded: now) }
        return key
    }

    func invalidate(_ tenant: String) {
        entries.withLock { _ = $0.removeValue(forKey: tenant) }
    }
}
