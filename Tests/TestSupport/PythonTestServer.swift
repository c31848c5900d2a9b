import Foundation

/// `Tests/fixtures/test_server.py` (one mode per behaviour: echo, tls, ntlm, negotiate, silent,
/// blackhole, proxy; see the script's header) in a child process on an ephemeral loopback port.
/// HTTPClientTests and GPTests check our clients against it: Python's http.server, ssl and
/// pyspnego's NTLM acceptor, independent of our own HTTPServer.
public enum PythonTestServer {
    public static let scriptPath = TestFiles.repositoryRoot + "/Tests/fixtures/test_server.py"

    public static func start(_ mode: String, _ arguments: [String] = [], python: String = "python3",
                             environment: [String: String] = [:]) async throws -> ChildServer {
        try await ChildServer.start(python, ["-u", scriptPath, mode] + arguments, environment: environment)
    }
}
