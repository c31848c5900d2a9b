import Testing
@testable import Commerce

@Suite struct OAuth1SignerTests {
    static let credentials = OAuth1Credentials(consumerKey: "9djdj82h48djs9d2", consumerSecret: "j49sk3j29djd",
                                               accessToken: "kkk9d7dh3k39sjv7", accessTokenSecret: "dh893hdasih9")

    @Test func baseStringMatchesTheRFC5849Example() throws {
        // RFC 5849 §3.4.1.1: query, form body and oauth parameters, decoded then re-encoded and sorted.
        let url = try OAuth1URL("http://EXAMPLE.COM:80/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b")
        #expect(url.normalised == "http://example.com/request")
        let params = url.queryParameters + [("c2", ""), ("a3", "2 q")] + [
            ("oauth_consumer_key", "9djdj82h48djs9d2"), ("oauth_token", "kkk9d7dh3k39sjv7"),
            ("oauth_signature_method", "HMAC-SHA1"), ("oauth_timestamp", "137131201"), ("oauth_nonce", "7d8f3e4a"),
        ]
        let base = OAuth1Signer.baseString(method: "post", normalisedURL: url.normalised, parameters: params)
        #expect(base == "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7")
    }

    @Test(arguments: [
        ("https://Shop.Example.com:443/rest/default/V1/products?x=1#frag", "https://shop.example.com/rest/default/V1/products"),
        ("http://127.0.0.1:8080/rest/V1/orders", "http://127.0.0.1:8080/rest/V1/orders"),
        ("https://shop.example.com:8443/a%2Fb", "https://shop.example.com:8443/a%2Fb"),
        ("http://user:pw@host", "http://host/"),
        ("HTTP://[::1]:80/x", "http://[::1]/x"),
    ])
    func urlIsNormalisedWithoutQueryOrDefaultPort(input: String, expected: String) throws {
        #expect(try OAuth1URL(input).normalised == expected)
    }

    @Test func queryPairsWithoutExactlyOneEqualsSignAreNotSigned() throws {
        let url = try OAuth1URL("http://h/p?searchCriteria&a=1&b=2=3&searchCriteria%5BpageSize%5D=5&c=x+y&d=")
        #expect(url.queryParameters.map { "\($0.0)|\($0.1)" } == ["a|1", "searchCriteria[pageSize]|5", "c|x y", "d|"])
    }

    @Test func relativeOrNonHTTPURLsAreRefused() {
        #expect(throws: OAuth1Error.self) { try OAuth1URL("/rest/V1/products") }
        #expect(throws: OAuth1Error.self) { try OAuth1URL("ftp://host/x") }
    }

    @Test func headerCarriesAllOAuthParametersQuotedAndEncoded() throws {
        let signer = OAuth1Signer(credentials: Self.credentials)
        let header = try signer.authorizationHeader(method: "GET", url: "https://shop.example.com/rest/V1/products/A%20B",
                                                    nonce: "abc", timestamp: 1_700_000_000)
        #expect(header.hasPrefix("OAuth oauth_consumer_key=\"9djdj82h48djs9d2\", oauth_nonce=\"abc\", oauth_signature_method=\"HMAC-SHA256\", oauth_timestamp=\"1700000000\", oauth_token=\"kkk9d7dh3k39sjv7\", oauth_version=\"1.0\", oauth_signature=\""))
        // base64 `+`, `/` and `=` must be percent-encoded inside the header.
        let signature = header.split(separator: "oauth_signature=\"").last!.dropLast()
        #expect(!signature.contains("+") && !signature.contains("/") && !signature.contains("="))
    }

    @Test func signatureIsHMACSHA256OfTheBaseStringWithEncodedKey() throws {
        let signer = OAuth1Signer(credentials: OAuth1Credentials(consumerKey: "ck", consumerSecret: "c&s",
                                                                 accessToken: "tk", accessTokenSecret: "t s"))
        let params = try signer.oauthParameters(method: "GET", url: "http://h/p?q=1", nonce: "n", timestamp: 1)
        let base = OAuth1Signer.baseString(method: "GET", normalisedURL: "http://h/p", parameters: [
            ("oauth_consumer_key", "ck"), ("oauth_nonce", "n"), ("oauth_signature_method", "HMAC-SHA256"),
            ("oauth_timestamp", "1"), ("oauth_token", "tk"), ("oauth_version", "1.0"), ("q", "1"),
        ])
        let expected = OAuth1Signer.signature(baseString: base, consumerSecret: "c&s", tokenSecret: "t s")
        #expect(params.last?.0 == "oauth_signature")
        #expect(params.last?.1 == expected)
        // The key is enc(cs)&enc(ts): "c%26s&t%20s"; a different key gives a different MAC.
        #expect(expected != OAuth1Signer.signature(baseString: base, consumerSecret: "c", tokenSecret: "s&t s"))
    }

    @Test func nonceIs32LowercaseAlphanumerics() throws {
        let a = try OAuth1Signer.makeNonce(), b = try OAuth1Signer.makeNonce()
        #expect(a.count == 32 && a != b)
        #expect(a.allSatisfy { $0.isLowercase || $0.isNumber })
    }

    @Test func naturalOrderPutsIndexTenAfterTwoWhileBytewiseDoesNot() {
        let ten = "searchCriteria%5Bfilter_groups%5D%5B10%5D", two = "searchCriteria%5Bfilter_groups%5D%5B2%5D"
        #expect(NaturalOrder.precedes(two, ten))
        #expect(ten.utf8.lexicographicallyPrecedes(two.utf8))
        let params = [(PercentEncoding.decode(ten), "a"), (PercentEncoding.decode(two), "b")]
        let natural = OAuth1Signer.baseString(method: "GET", normalisedURL: "http://h/", parameters: params, order: .natural)
        let bytewise = OAuth1Signer.baseString(method: "GET", normalisedURL: "http://h/", parameters: params, order: .bytewise)
        #expect(natural != bytewise)
    }

    @Test(arguments: [("a b", "a%20b"), ("~-._", "~-._"), ("a+b", "a%2Bb"), ("é", "%C3%A9"), ("[0]", "%5B0%5D")])
    func percentEncodingFollowsRFC3986(raw: String, encoded: String) {
        #expect(PercentEncoding.encode(raw) == encoded)
        #expect(PercentEncoding.decode(encoded) == raw)
    }
}
