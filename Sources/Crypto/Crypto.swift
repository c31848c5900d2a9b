// The Crypto module owns every cryptographic primitive ml-connector uses, on system OpenSSL 3
// (EVP APIs only) through `COpenSSL`, which stays an internal import so no OpenSSL symbol
// leaks into other modules:
//
// - `AESGCM`            AES-256-GCM seal/open (random 96-bit nonce, 128-bit tag, AAD)
// - `SealedSecret`      the vault's versioned ciphertext format, bound to tenant + field
// - `Keyring`           current + previous master keys: seal, open, reseal for rotation
// - `MasterKey`         the 32-byte master key, its id, and loading (env, file, <home>/master.key)
// - `HMAC`, `SHA256`    HMAC-SHA256/SHA1 and SHA-256
// - `RSAPublicKey`      PEM RSA public keys (≥ 2048 bits) and RSA-SHA256 PKCS#1 v1.5 verify
// - `SecureRandom`      random bytes and URL-safe tokens
// - `constantTimeEquals`, `Hex`, `Base64URL`
//
// Every failure is a `CryptoError` with a stable code; none carries a key, secret or plaintext.
