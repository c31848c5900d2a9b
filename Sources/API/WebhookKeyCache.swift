import Connector
import Crypto
import Foundation
import Logging
import Synchronization

/// What the webhook path needs of a tenant, per tenant: its parsed webhook public key and its
/// posting trigger (`posting.trigger`), so a hook costs no PEM parsing and no database read.
/// Only existing tenants are cached: an unknown tenant is looked up each time, so unsigned callers
/// cannot fill memory with made-up tenant ids. Entries expire after `ttl` so a change made by
/// another process is seen; this process invalidates on its own tenant PATCH and DELETE.
final class WebhookKeyCache: Sendable {
    private struct Entry {
        let key: RSAPublicKey?
        let trigger: PostingTrigger
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
        entry(tenant)?.key
    }

    /// The tenant's posting trigger; the default (`invoice_captured`) when the tenant cannot be read.
    func trigger(for tenant: String) -> PostingTrigger {
        entry(tenant)?.trigger ?? PostingOptions().trigger
    }

    func invalidate(_ tenant: String) {
        entries.withLock { _ = $0.removeValue(forKey: tenant) }
    }

    private func entry(_ tenant: String) -> Entry? {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[tenant] }), now - entry.loaded < ttl { return entry }
        guard let id = TenantID(tenant) else { return nil }
        let settings: TenantSettings?
        do { settings = try tenants.tenant(id)?.settings } catch {
            logger.error("tenant not readable for a webhook", metadata: ["tenant": "\(tenant)", "error": "\(error.code)"])
            return nil
        }
        guard let settings else {
            entries.withLock { _ = $0.removeValue(forKey: tenant) }
            return nil
        }
        var key: RSAPublicKey?
        if let pem = settings.commerce.webhookPublicKey {
            do { key = try RSAPublicKey(pem: pem) } catch {
                logger.error("stored webhook key does not parse", metadata: ["tenant": "\(tenant)", "error": "\(error)"])
            }
        }
        let entry = Entry(key: key, trigger: settings.posting.trigger, loaded: now)
        entries.withLock { $0[tenant] = entry }
        return entry
    }
}
