import Foundation
import GP

/// Which GP customer an order posts against, and how that was decided (recorded in the audit).
public struct ResolvedCustomer: Sendable, Equatable {
    public enum Source: String, Sendable, Codable {
        /// The GP id stored on the Commerce customer (custom attribute).
        case commerceAttribute = "commerce_attribute"
        /// Our customer records: a GP customer synced with this e-mail.
        case emailMapping = "email_mapping"
        /// The tenant's guest customer.
        case guest
    }

    public var customerId: String
    public var source: Source

    public init(customerId: String, source: Source) {
        self.customerId = customerId
        self.source = source
    }
}

/// The GP id on the Commerce customer, else the e-mail mapping, else the tenant's guest
/// customer; with none of them the order parks (`no_guest_customer`). An id longer than GP's
/// 15 characters parks too: GP would refuse it, and guessing another customer would be worse.
public enum CustomerResolution {
    public static func resolve(commerceAttribute: String?, emailMapping: String?, guestCustomerId: String?,
                               email: String?) -> Result<ResolvedCustomer, ParkReason> {
        let candidates: [(String?, ResolvedCustomer.Source)] = [
            (commerceAttribute, .commerceAttribute), (emailMapping, .emailMapping), (guestCustomerId, .guest),
        ]
        for (value, source) in candidates {
            guard let id = value?.trimmingCharacters(in: .whitespaces), !id.isEmpty else { continue }
            guard id.count <= ReceivablesInvoice.maxCustomerIdLength else {
                return .failure(.customerIdTooLong(customerId: id, limit: ReceivablesInvoice.maxCustomerIdLength))
            }
            return .success(ResolvedCustomer(customerId: id, source: source))
        }
        return .failure(.noGuestCustomer(email: email?.lowercased()))
    }
}
