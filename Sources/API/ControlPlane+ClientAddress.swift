import HTTPServer

extension ControlPlane {
    /// The connection's peer address: failed authentications are counted per client, so one
    /// client guessing tokens cannot lock out the others. Behind a reverse proxy every client
    /// shares the proxy's address; set `Configuration.clientAddress` to read a trusted header.
    public static let peerAddress: @Sendable (Request) -> String = { request in
        request.remoteAddress.isEmpty ? "unknown" : request.remoteAddress
    }
}
