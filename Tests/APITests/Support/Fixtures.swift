import Connector

/// Tenant documents and keys shared by the tests.
enum Fixtures {
    /// A 2048-bit RSA public key (generated for these tests; its private half was discarded).
    static let publicKey2048 = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA35rCVYb9b1P/kcbjCtno
        e8w65yfOCU5eMmuobyZtyMoh8NIJRj/O9a9dxfcVAYazGXI5OB90Isi0uaZI8NwF
        hIFJ2ArFmYUe/+G/ffb0EfcQi5nQmZ8bYTIzMdSlwHdLjUxDP8qaymktMRNLpfiF
        M3HOvf0l2oI/pmk/DagpoolX8xrgUHnIRkOwZxqtI3Qmfb1hhxWlNHKpigTfdw/E
        poEsnuvGz9MU9Nd3p3VtAteIM9Waxo1c2iYaa/LBcrg/B147a9gR7OJv7K4Jb7e4
        6uscNKXvp6ASdd3RpFNkaEERiQeeR2sAjSMLnPIQhNoiRcM6h8ji2WFAivfFoNbK
        awIDAQAB
        -----END PUBLIC KEY-----
        """

    /// 1024 bits: a real RSA key, but too short.
    static let publicKey1024 = """
        -----BEGIN PUBLIC KEY-----
        MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCUVHggL1jq5jsoY9kra4S9gd6M
        Hb3oZgYgN84VoJRcMkOKRwDIP0bhw0hsek8WBrM44bRhyXrFfwhPsJsn5VsSqiiG
        39eUHv3cVJr7/Mgtb/E3T8XW/xWWLdbCNQB8uBq2gIS5h9rqY+0en6Vx4tiUApcn
        Q13wZOTpBh3mWGcX5QIDAQAB
        -----END PUBLIC KEY-----
        """

    static let gpPassword = "Gp-Pa55word!unique-7731"
    static let consumerKey = "ck7k2m9q4x1z8w3e5r6t0y2u4i6o8p1a"
    static let consumerSecret = "cs9d8f7g6h5j4k3l2z1x0c9v8b7n6m5q"
    static let accessToken = "at1q2w3e4r5t6y7u8i9o0p1a2s3d4f5g"
    static let accessTokenSecret = "as6h7j8k9l0z1x2c3v4b5n6m7q8w9e0r"
    static let allSecrets = [gpPassword, consumerKey, consumerSecret, accessToken, accessTokenSecret]

    /// The registration of DESIGN.md with the given name and id.
    static func tenantJSON(id: String = "contoso", name: String = "Contoso Industrial") -> String {
        """
        {
          "id": "\(id)",
          "name": "\(name)",
          "gp": {
            "company_url": "https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(Contoso%2C%20Inc.)/",
            "connection": "direct", "auth": "ntlm",
            "username": "CONTOSO\\\\svc-gp", "password": "\(gpPassword)",
            "tls": {"verify": true},
            "max_parallel_calls": 3,
            "price_level": "RETAIL", "sites": ["MAIN", "EAST"],
            "batch_prefix": "WEB", "document_prefix": "WEB",
            "functional_currency": "USD"
          },
          "commerce": {
            "base_url": "https://shop.contoso.com", "store_code": "default",
            "auth": {"type": "oauth1", "consumer_key": "\(consumerKey)", "consumer_secret": "\(consumerSecret)",
                     "access_token": "\(accessToken)", "access_token_secret": "\(accessTokenSecret)"},
            "webhook_public_key": "\(publicKey2048.replacingOccurrences(of: "\n", with: "\\n"))"
          },
          "schedule": {"items_every_s": 900, "customers_every_s": 900, "orders_backstop_every_s": 300}
        }
        """
    }

    static func tenantDocument(id: String = "contoso", name: String = "Contoso Industrial") -> DocumentValue {
        try! DocumentValue.parse(Array(tenantJSON().utf8)).setting("id", .string(id)).setting("name", .string(name))
    }

    /// A validator whose key check accepts exactly `publicKey2048`, so table tests need no OpenSSL.
    static let validator = TenantValidator(checkPublicKey: { $0 == publicKey2048 ? nil : "Not an RSA public key." })
}

extension DocumentValue {
    /// A copy with the value at a dotted path replaced (or removed with nil).
    func setting(_ path: String, _ value: DocumentValue?) -> DocumentValue {
        let keys = path.split(separator: ".").map(String.init)
        func set(_ v: DocumentValue, _ rest: ArraySlice<String>) -> DocumentValue {
            guard let key = rest.first else { return value ?? .null }
            var o = v.objectValue ?? [:]
            if rest.count == 1 && value == nil { o.removeValue(forKey: key) } else { o[key] = set(o[key] ?? .null, rest.dropFirst()) }
            return .object(o)
        }
        return set(self, keys[...])
    }
}

import Foundation
