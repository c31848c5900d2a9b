/// Why a webhook request was refused. The receiver maps `status`; messages never echo the
/// signature or key material.
public enum CommerceWebhookError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingSignature
    case malformedSignature
    case invalidSignature
    case bodyTooLarge(limit: Int)
    case jsonTooDeep(limit: Int)
    case malformedPayload(String)
    /// A known order/invoice event whose entity has no `increment_id`.
    case missingIncrementId(eventName: String)
    /// The sink returned no outcome for a hook of its batch (a sink bug; the hook counts as not stored).
    case sinkOutcomeMissing

    public var code: String {
        switch self {
        case .missingSignature: "webhook_signature_missing"
        case .malformedSignature: "webhook_signature_malformed"
        case .invalidSignature: "webhook_signature_invalid"
        case .bodyTooLarge: "body_too_large"
        case .jsonTooDeep: "json_too_deep"
        case .malformedPayload: "webhook_payload_malformed"
        case .missingIncrementId: "webhook_increment_id_missing"
        case .sinkOutcomeMissing: "webhook_sink_outcome_missing"
        }
    }

    public var message: String {
        switch self {
        case .missingSignature: "The x-adobe-commerce-webhook-signature header is missing."
        case .malformedSignature: "The webhook signature is not base64."
        case .invalidSignature: "The webhook signature does not verify with this tenant's public key."
        case .bodyTooLarge(let limit): "The webhook body is larger than \(limit) bytes."
        case .jsonTooDeep(let limit): "The webhook body nests JSON deeper than \(limit) levels."
        case .malformedPayload(let why): "The webhook body is not a Commerce event: \(why)."
        case .missingIncrementId(let name): "The \(name) event carries no increment_id."
        case .sinkOutcomeMissing: "The webhook store gave no outcome for this hook."
        }
    }

    /// HTTP status for the receiver.
    public var status: Int {
        switch self {
        case .missingSignature, .malformedSignature, .invalidSignature: 401
        case .bodyTooLarge: 413
        case .jsonTooDeep, .malformedPayload, .missingIncrementId: 400
        case .sinkOutcomeMissing: 500
        }
    }

    public var description: String { "\(code): \(message)" }
}
