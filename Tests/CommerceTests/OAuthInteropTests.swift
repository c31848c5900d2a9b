import Commerce
import Foundation
import TestSupport
import Testing
@testable import Simulators

/// Independent checks: Python oauthlib (server side, HMAC-SHA256) accepts what our signer
/// produces, and our simulator accepts what oauthlib signs.
@Suite struct OAuthInteropTests {
    static let verifyScript = #"""
import json, sys
from oauthlib.oauth1 import RequestValidator, ResourceEndpoint
from oauthlib.oauth1.rfc5849 import SIGNATURE_HMAC_SHA256
CK, CS, TK, TS = sys.argv[1:5]
class Validator(RequestValidator):
    enforce_ssl = False
    @property
    def allowed_signature_methods(self): return (SIGNATURE_HMAC_SHA256,)
    def check_client_key(self, k): return True
    def check_access_token(self, t): return True
    def check_nonce(self, n): return len(n) <= 32
    @property
    def dummy_client(self): return 'dummy'
    @property
    def dummy_access_token(self): return 'dummy'
    def validate_client_key(self, k, r): return k == CK
    def validate_access_token(self, k, t, r): return t == TK
    def validate_timestamp_and_nonce(self, *a, **kw): return True
    def validate_realms(self, *a, **kw): return True
    def get_client_secret(self, k, r): return CS
    def get_access_token_secret(self, k, t, r): return TS
endpoint = ResourceEndpoint(Validator())
for line in sys.stdin:
    req = json.loads(line)
    try:
        ok, r = endpoint.validate_protected_resource_request(req['uri'], req['method'], req.get('body'), req['headers'])
        print('ok' if ok else 'fail ' + json.dumps(r.validator_log))
    except Exception as e:
        print('error ' + repr(e))
"""#

    static let signAndSendScript = #"""
import json, sys, urllib.request, urllib.error
from oauthlib.oauth1 import Client, SIGNATURE_HMAC_SHA256
CK, CS, TK, TS, METHOD, URL = sys.argv[1:7]
BODY = sys.argv[7] if len(sys.argv) > 7 else None
client = Client(CK, client_secret=CS, resource_owner_key=TK, resource_owner_secret=TS,
                signature_method=SIGNATURE_HMAC_SHA256)
headers = {'Content-Type': 'application/json'} if BODY else {}
uri, headers, body = client.sign(URL, http_method=METHOD, body=BODY, headers=headers)
req = urllib.request.Request(uri, data=body.encode() if body else None, method=METHOD, headers=headers)
try:
    with urllib.request.urlopen(req) as resp:
        print(resp.status, resp.read().decode()[:200])
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode()[:200])
"""#

    static let credentials = SimFixture.oauthCredentials

    @Test func oauthlibVerifiesRequestsSignedByOurSigner() throws {
        let signer = OAuth1Signer(credentials: Self.credentials)
        let criteria = SearchCriteria()
            .filter("updated_at", .gteq, "2024-07-01 00:00:00")
            .anyOf([.init("email", .eq, "ann+vip@example.com"), .init("email", .like, "%@contoso.com")])
            .filter("name", .eq, "Café [déco] & co")
            .sorted(by: "updated_at").page(2, size: 50)
        let urls: [(String, String, String?, [(String, String)])] = [
            ("GET", "https://shop.example.com/rest/default/V1/products/GP-100%2FA", nil, []),
            ("GET", "https://shop.example.com/rest/default/V1/orders?" + criteria.queryString, nil, []),
            ("GET", "http://127.0.0.1:8080/rest/all/V1/customers/search?" + SearchCriteria().filter("email", .eq, "a@b.c").queryString, nil, []),
            ("GET", "https://SHOP.example.com:443/rest/V1/products?searchCriteria=", nil, []),
            ("PUT", "https://shop.example.com/rest/all/V1/products/SKU%201", #"{"product":{"sku":"SKU 1","price":2}}"#, []),
            ("POST", "https://shop.example.com/oauth/token/request", "a=1&b=x%20y", [("a", "1"), ("b", "x y")]),
        ]
        var lines: [String] = []
        for (method, url, body, form) in urls {
            let header = try signer.authorizationHeader(method: method, url: url, formParameters: form)
            var headers = ["Authorization": header]
            if let body { headers["Content-Type"] = form.isEmpty ? "application/json" : "application/x-www-form-urlencoded" }
            var request: [String: Any] = ["method": method, "uri": url, "headers": headers]
            if let body { request["body"] = body }
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self))
        }
        let c = Self.credentials
        let out = try PythonVenv.script(Self.verifyScript, [c.consumerKey, c.consumerSecret, c.accessToken, c.accessTokenSecret],
                                    stdin: lines.joined(separator: "\n") + "\n")
        #expect(out.split(separator: "\n").map(String.init) == Array(repeating: "ok", count: urls.count))
    }

    @Test func oauthlibRejectsATamperedSignatureSoTheCheckCanFail() throws {
        let url = "https://shop.example.com/rest/default/V1/orders?" + SearchCriteria().filter("increment_id", .eq, "1").queryString
        let header = try OAuth1Signer(credentials: Self.credentials).authorizationHeader(method: "GET", url: url)
        let tampered = url.replacingOccurrences(of: "=1", with: "=2")
        let request: [String: Any] = ["method": "GET", "uri": tampered, "headers": ["Authorization": header]]
        let c = Self.credentials
        let out = try PythonVenv.script(Self.verifyScript, [c.consumerKey, c.consumerSecret, c.accessToken, c.accessTokenSecret],
                                    stdin: String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self) + "\n")
        #expect(out.hasPrefix("fail"))
    }

    @Test func ourSimulatorVerifiesRequestsSignedByOauthlib() throws {
        let f = try SimFixture()
        let c = Self.credentials
        let args = [c.consumerKey, c.consumerSecret, c.accessToken, c.accessTokenSecret]
        let query = SearchCriteria().filter("sku", .like, "GP-%").sorted(by: "sku").page(1, size: 5).queryString
        let get = try PythonVenv.script(Self.signAndSendScript, args + ["GET", f.sim.baseURL + "/rest/default/V1/products?" + query])
        #expect(get.hasPrefix("200 "))
        let put = try PythonVenv.script(Self.signAndSendScript, args + ["PUT", f.sim.baseURL + "/rest/default/V1/products/GP-1",
                                                                     #"{"product":{"name":"From Python","price":3}}"#])
        #expect(put.hasPrefix("200 "))
        #expect(try f.paasClient().product(sku: "GP-1")?.name == "From Python")
        // The same script with a wrong secret is refused, so the 200s above mean something.
        let wrong = try PythonVenv.script(Self.signAndSendScript, [c.consumerKey, "0" + c.consumerSecret.dropFirst(), c.accessToken,
                                                               c.accessTokenSecret, "GET", f.sim.baseURL + "/rest/default/V1/products?" + query])
        #expect(wrong.hasPrefix("401 "))
    }
}
