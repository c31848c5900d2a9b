extension Connection {
    /// Sends a notification (delivered when the surrounding transaction commits, if any).
    public func notify(channel: String, payload: String = "") throws {
        _ = try query("SELECT pg_notify($1, $2)", [.text(channel), .text(payload)])
    }
}
