internal import COpenSSL
import Foundation

/// Compares two byte strings in time that depends only on their lengths, never on where they
/// differ (`CRYPTO_memcmp`). Use it for tokens, token hashes, MACs and signatures.
///
/// Unequal lengths return false, but only after a full-length comparison of `a` with itself,
/// so the content of neither input influences timing.
public func constantTimeEquals(_ a: some DataProtocol, _ b: some DataProtocol) -> Bool {
    let x = Bytes.array(a)
    let y = Bytes.array(b)
    let other = x.count == y.count ? y : x
    let differs = x.withNonNullPointer { xp, n in
        other.withNonNullPointer { yp, _ in CRYPTO_memcmp(xp, yp, n) }
    }
    return x.count == y.count && differs == 0
}

/// `constantTimeEquals` over the UTF-8 bytes of two strings.
public func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    constantTimeEquals(Array(a.utf8), Array(b.utf8))
}
