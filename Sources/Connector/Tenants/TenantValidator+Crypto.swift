import Crypto

extension TenantValidator {
    /// The validator the server uses: webhook keys must parse as RSA public keys of ≥ 2048 bits.
    public static let standard = TenantValidator(checkPublicKey: { pem in
        do {
            _ = try RSAPublicKey(pem: pem)
            return nil
        } catch let error as CryptoError {
            return "Must be an RSA public key of at least \(RSAPublicKey.defaultMinimumBits) bits in PEM (-----BEGIN PUBLIC KEY-----): \(error.message)."
        } catch {
            return "Must be an RSA public key in PEM."
        }
    })
}
