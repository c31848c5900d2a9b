import Connector
import Foundation

extension DocumentValue {
    var json: String { String(decoding: jsonData(), as: UTF8.self) }
}

extension HTTPTestClient.Answer {
    /// True when no secret of the fixtures appears anywhere in the answer (headers and body).
    var leaksNoSecret: Bool {
        let all = text + headers.map { "\($0.key): \($0.value)" }.joined()
        return !Fixtures.allSecrets.contains(where: all.contains)
    }
}
