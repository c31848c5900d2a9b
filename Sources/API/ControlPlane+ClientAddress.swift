import HTTPServer

extension ControlPlane {
    /// The connection's peer address. HTTPServer's `Request` does not expose one yet, so until
    /// it does every client shares one failed-authentication budget (safe, but one attacker can
    /// then slow down everyone's failed attempts; valid tokens from other clients are refused
    /// too while the budget is spent).
    public static let peerAddress: @Sendable (Request) -> String = { _ in "unknown" }
}
