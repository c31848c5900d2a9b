import Connector
import Foundation
import HTTPServer

/// `POST /v1/tenants/{tenant}/ping`: reach both systems with the stored credentials.
extension ControlPlane {
    func ping(_ request: Request) throws(HTTPError) -> Response {
        let caller = try authenticator.controlPlaneCaller(request)
        let id = try authenticator.tenant(request, for: caller)
        let tenant = try existing(id)
        let secrets: SecretValues
        do { secrets = try tenants.secrets(of: id) } catch { throw APIErrors.store(error) }
        let probe = configuration.probe
        let gp = probe.pingGP(tenant, secrets: secrets)
        let commerce = probe.pingCommerce(tenant, secrets: secrets)
        return ControlPlane.json(.object([
            "tenant": .string(id.rawValue),
            "gp": ControlPlane.document(gp),
            "commerce": ControlPlane.document(commerce),
        ]))
    }

    static func document(_ result: PingResult) -> DocumentValue {
        .object([
            "ok": .bool(result.ok),
            "status": .string(result.status.rawValue),
            "http_status": result.httpStatus.map { .number(Double($0)) } ?? .null,
            "latency_ms": result.latencyMS.map { .number(($0 * 10).rounded() / 10) } ?? .null,
            "message": .string(result.message),
        ])
    }
}
