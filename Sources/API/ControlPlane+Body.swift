import Connector
import Foundation
import HTTPServer

/// Reading JSON request bodies and writing JSON responses for the control plane.
extension ControlPlane {
    /// The body as a JSON document: 415 unless JSON (`application/json` or `…+json`, which admits
    /// `application/merge-patch+json`), 400 when empty, malformed or nested too deep.
    func document(_ request: Request) throws(HTTPError) -> DocumentValue {
        guard let type = request.headers["Content-Type"], ControlPlane.isJSON(type) else {
            throw HTTPError(status: .unsupportedMediaType, code: "unsupported_media_type",
                            message: "The request body must be sent as application/json.")
        }
        guard !request.body.isEmpty else { throw HTTPError.badRequest("invalid_json", "The request body is empty; send a JSON object.") }
        do {
            return try DocumentValue.parse(request.body)
        } catch {
            throw HTTPError.badRequest(error.code, error.message)
        }
    }

    /// An optional JSON body: absent or empty is `{}`.
    func optionalDocument(_ request: Request) throws(HTTPError) -> DocumentValue {
        request.body.isEmpty ? .object([:]) : try document(request)
    }

    static func isJSON(_ contentType: String) -> Bool {
        let media = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return media == "application/json" || (media.hasPrefix("application/") && media.hasSuffix("+json"))
    }

    static func json(_ value: DocumentValue, status: HTTPStatus = .ok) -> Response {
        Response(status: status, headers: ["Content-Type": "application/json"], body: Array(value.jsonData()))
    }

    static func timestamp(_ date: Date?) -> DocumentValue {
        guard let date else { return .null }
        return .string(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }
}
