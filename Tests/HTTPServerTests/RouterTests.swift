import Foundation
import Testing
@testable import HTTPServer

@Suite struct RouterTests {
    static func routes(_ router: inout Router) {
        router.add(.GET, "/v1/tenants/{tenant}") { .text("get \($0.parameters["tenant"]!)") }
        router.add(.DELETE, "/v1/tenants/{tenant}") { .text("delete \($0.parameters["tenant"]!)") }
        router.add(.GET, "/v1/tenants/special") { _ in .text("literal") }
        router.add(.GET, "/v1/jobs") { request in
            let query = try request.query()
            return .text("state=\(query["state"] ?? "-") q=\(query["q"] ?? "-")")
        }
        router.add(.GET, "/boom") { _ in throw CocoaError(.fileNoSuchFile, userInfo: ["secret": "hunter2"]) }
        router.add(.GET, "/teapot") { _ in
            throw HTTPError(status: 418, code: "teapot", message: "I am a teapot.", details: ["kind": "earl grey"])
        }
    }

    func get(_ server: HTTPServer, _ method: String, _ target: String) throws -> RawClient.Reply {
        let client = try RawClient(port: server.port)
        try client.send("\(method) \(target) HTTP/1.1\r\nHost: x\r\n\r\n")
        return try client.readResponse(bodyless: method == "HEAD")
    }

    @Test func pathParametersArePercentDecoded() throws {
        try withServer(routes: Self.routes) { (server: HTTPServer) throws in
            #expect(try get(server, "GET", "/v1/tenants/Contoso%2C%20Inc.").bodyText == "get Contoso, Inc.")
            #expect(try get(server, "DELETE", "/v1/tenants/t1").bodyText == "delete t1")
        }
    }

    @Test func aLiteralSegmentWinsOverAParameter() throws {
        try withServer(routes: Self.routes) { (server: HTTPServer) throws in
            #expect(try get(server, "GET", "/v1/tenants/special").bodyText == "literal")
        }
    }

    @Test func queryParametersArePercentDecoded() throws {
        try withServer(routes: Self.routes) { (server: HTTPServer) throws in
            #expect(try get(server, "GET", "/v1/jobs?state=running&q=a+b%26c").bodyText == "state=running q=a b&c")
            #expect(try get(server, "GET", "/v1/jobs?q=%zz").status == 400)
        }
    }

    @Test func aNULInAQueryValueOrNameIs400BeforeAnyHandlerSeesIt() throws {
        try withServer(routes: Self.routes) { (server: HTTPServer) throws in
            for target in ["/v1/jobs?q=a%00b", "/v1/jobs?st%00ate=x"] {
                let reply = try get(server, "GET", target)
                #expect(reply.status == 400)
                #expect(reply.bodyText.contains("\"code\":\"invalid_query\""))
            }
        }
    }

    @Test func unknownPathsGet404InTheJSONErrorShape() throws {
        try withServer(routes: Self.routes) { (server: HTTPServer) throws in
            let reply = try get(server, "GET", "/nope")
            #expect(reply.status == 404)
            #expect(reply.header("Content-Type") == "application/json")
            let json = try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
            let error = json?["error"] as? [String: Any]
            #expect(json?.keys.sorted() == ["error"])
            #expect(error?.keys.sorted() == ["code", "details", "message"])
            #expect(error?["code"] as? String == "not_found")
        }
    }

    @Test func aKnownPathWithTheWrongMethodGets405WithAllow() throws {
        try withServer(routes: Self.routes) { (server: HTTPServer) throws in
            let reply = try get(server, "POST", "/v1/tenants/t1")
            #expect(reply.status == 405)
            #expect(reply.header("Allow") == "DELETE, GET, HEAD")
        }
    }

    @Test func getRoutesServeHead() throws {
        try withServer(routes: Self.routes) { (server: HTTPServer) throws in
            let reply = try get(server, "HEAD", "/v1/tenants/t1")
            #expect(reply.status == 200)
            #expect(reply.header("Content-Length") == "6")
        }
    }

    @Test func anHTTPErrorBecomesItsExactJSONBody() throws {
        try withServer(routes: Self.routes) { (server: HTTPServer) throws in
            let reply = try get(server, "GET", "/teapot")
            #expect(reply.status == 418)
            #expect(reply.bodyText == #"{"error":{"code":"teapot","details":{"kind":"earl grey"},"message":"I am a teapot."}}"#)
        }
    }

    @Test func anyOtherErrorBecomesAGeneric500WithoutInternals() throws {
        try withServer(routes: Self.routes) { (server: HTTPServer) throws in
            let reply = try get(server, "GET", "/boom")
            #expect(reply.status == 500)
            #expect(reply.bodyText == #"{"error":{"code":"internal_error","details":{},"message":"The server could not complete the request."}}"#)
        }
    }

    @Test func percentEncodedSlashesStayInsideOneParameter() {
        var router = Router()
        router.add(.GET, "/files/{name}") { _ in .text("") }
        guard case .found(_, _, let parameters) = router.match(.GET, path: "/files/a%2Fb") else {
            Issue.record("expected a match")
            return
        }
        #expect(parameters["name"] == "a/b")
        guard case .notFound = router.match(.GET, path: "/files/a/b") else {
            Issue.record("a raw slash is a different path")
            return
        }
    }
}

@Suite struct JSONTests {
    struct Tenant: Codable, Equatable {
        let name: String
        let gp: GP
        struct GP: Codable, Equatable { let company_url: String }
    }

    static func routes(_ router: inout Router) {
        router.add(.POST, "/tenants") { request in
            let tenant = try request.decodeJSON(Tenant.self)
            return .json(status: .created, tenant)
        }
    }

    func post(_ server: HTTPServer, _ body: String, contentType: String = "application/json") throws -> RawClient.Reply {
        let client = try RawClient(port: server.port)
        try client.send("POST /tenants HTTP/1.1\r\nHost: x\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        return try client.readResponse()
    }

    func code(_ reply: RawClient.Reply) throws -> String? {
        let json = try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
        return (json?["error"] as? [String: Any])?["code"] as? String
    }

    @Test func aValidBodyRoundTrips() throws {
        try withServer(routes: Self.routes) { (server: HTTPServer) throws in
            let reply = try post(server, #"{"name":"Contoso","gp":{"company_url":"https://gp/x/"}}"#,
                                 contentType: "application/json; charset=utf-8")
            #expect(reply.status == 201)
            #expect(reply.bodyText == #"{"gp":{"company_url":"https://gp/x/"},"name":"Contoso"}"#)
        }
    }

    @Test func malformedJSONIs400InvalidJSON() throws {
        try withServer(routes: Self.routes) { (server: HTTPServer) throws in
            let reply = try post(server, #"{"name": "#)
            #expect(reply.status == 400)
            #expect(try code(reply) == "invalid_json")
        }
    }

    @Test func aMissingFieldNamesItsPath() throws {
        try withServer(routes: Self.routes) { (server: HTTPServer) throws in
            let reply = try post(server, #"{"name":"x","gp":{}}"#)
            #expect(reply.status == 400)
            #expect(try code(reply) == "invalid_field")
            #expect(reply.bodyText.contains(#""field":"gp.company_url""#))
        }
    }

    @Test func theWrongContentTypeIs415() throws {
        try withServer(routes: Self.routes) { (server: HTTPServer) throws in
            let reply = try post(server, #"{"name":"x"}"#, contentType: "text/plain")
            #expect(reply.status == 415)
            #expect(try code(reply) == "unsupported_media_type")
        }
    }

    @Test func deepNestingIsRefusedBeforeDecoding() throws {
        try withServer(routes: Self.routes) { (server: HTTPServer) throws in
            let deep = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
            let reply = try post(server, deep)
            #expect(reply.status == 400)
            #expect(try code(reply) == "json_too_deep")
            let fine = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
            #expect(try code(try post(server, fine)) != "json_too_deep")
        }
    }

    @Test func bracketsInsideStringsDoNotCountAsNesting() {
        let text = #"{"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"[[["}"#
        #expect(JSONDepth.maximumDepth(of: Array(text.utf8), limit: 32) == 1)
    }
}

@Suite struct RemoteAddressTests {
    @Test func aHandlerSeesThePeerAddressOfItsConnection() throws {
        try withServer(routes: { router in
            router.add(.GET, "/whoami") { .text($0.remoteAddress) }
        }) { (server: HTTPServer) throws in
            for source in ["127.0.0.1", "127.0.0.2", "127.0.0.3"] {
                let client = try RawClient(port: server.port, source: source)
                try client.send("GET /whoami HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try client.readResponse().bodyText == source)
            }
        }
    }
}
