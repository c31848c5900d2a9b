@testable import HTTPClient
import Testing

@Suite("URL parsing and secret scrubbing (pure)")
struct RedactionTests {
    @Test(arguments: [
        ("http://user:pw@host/x", "http://***@host/x"),
        ("https://u@gp.contoso.local:8443/a?b=c", "https://***@gp.contoso.local:8443/a?b=c"),
        ("failed for http://a:b@h1/ and https://c:d@h2:1/", "failed for http://***@h1/ and https://***@h2:1/"),
        ("http://host/path@not-userinfo", "http://host/path@not-userinfo"),
        ("http://a:p@ss@host/", "http://***@host/"),
        ("no url here", "no url here"),
        ("'http://x:y@h'", "'http://***@h'"),
    ])
    func userinfoIsScrubbedFromEveryURLInAText(text: String, scrubbed: String) {
        #expect(Redaction.scrubUserinfo(text) == scrubbed)
    }

    @Test func knownSecretsAreMaskedWherever() {
        #expect(Redaction.scrub("login pw=hunter2 failed; hunter2!", secrets: ["hunter2", ""]) == "login pw=*** failed; ***!")
    }

    @Test(arguments: [
        ("http://gp.contoso.local/x", "gp.contoso.local", 80, nil as String?),
        ("https://gp.contoso.local/x", "gp.contoso.local", 443, nil),
        ("https://svc:pw@gp:8443", "gp", 8443, "pw"),
        ("http://[::1]:8080/", "::1", 8080, nil),
        ("HTTP://Host.Example", "Host.Example", 80, nil),
    ])
    func theAuthorityIsParsedForMessages(url: String, host: String, port: Int, password: String?) throws {
        let authority = try #require(URLAuthority(url: url))
        #expect(authority.host == host)
        #expect(authority.port == port)
        #expect(authority.password == password)
    }

    @Test func ipv6HostsAreBracketedInMessages() {
        #expect(URLAuthority(url: "http://[::1]:8080/")?.hostPort == "[::1]:8080")
    }
}
