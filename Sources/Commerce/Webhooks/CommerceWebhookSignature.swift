import Crypto
import Foundation

/// Verifies `x-adobe-commerce-webhook-signature`: Commerce computes
/// `base64(openssl_sign(base64_encode(body), privateKey, SHA256))`, i.e. RSA PKCS#1 v1.5 with
/// SHA-256 over the **base64 text of the raw body** (the docs call it "HMAC", it is not).
/// Always verify over the exact bytes received; re-serialised JSON would differ.
///
///     let key = try RSAPublicKey(pem: tenant.webhookPublicKey)
///     try CommerceWebhookSignature.verify(body: request.body,
///                                         signature: request.headers["x-adobe-commerce-webhook-signature"],
///                                         publicKey: key)
public enum CommerceWebhookSignature {
    public static let headerName = "x-adobe-commerce-webhook-signature"

    public static func verify(body: some Collection<UInt8>, signature: String?,
                              publicKey: RSAPublicKey) throws(CommerceWebhookError) {
        guard let signature = signature?.trimmingCharacters(in: .whitespaces), !signature.isEmpty else {
            throw .missingSignature
        }
        guard let signatureBytes = Data(base64Encoded: signature) else { throw .malformedSignature }
        let signedText = Array(Data(body).base64EncodedString().utf8)
        guard publicKey.verifySHA256PKCS1(signature: signatureBytes, message: signedText) else {
            throw .invalidSignature
        }
    }
}
