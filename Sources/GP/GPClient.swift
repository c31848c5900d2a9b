import Foundation
import Logging

/// The SBA client of one GP company: builds resource URLs, wraps and unwraps the `Payload`
/// envelope, pages through lists, posts receivables invoices and names every failure as a
/// `GPError`.
///
/// It owns no connection: each call goes through the tenant's `GPCallGate` (throttle) and then
/// the `GPTransport` (direct libcurl, or the local agent's relay). All methods block the calling
/// thread; call them from worker threads.
///
/// ```swift
/// let company = try GPCompany(url: tenant.gp.companyURL)
/// let client = GPClient(company: company, settings: tenant.gp.settings,
///                       transport: GPDirectTransport(credentials: creds), tenant: tenant.id)
/// let summary = try client.readItems(modifiedSince: watermark) { page in
///     try upsert(page)          // at most settings.pageSize items
/// }
/// ```
public final class GPClient: Sendable {
    public let company: GPCompany
    public let settings: GPSettings
    public let tenant: String
    let transport: any GPTransport
    let gate: any GPCallGate
    let logger: Logger
    let onCall: (@Sendable (GPCallRecord) -> Void)?

    /// - Parameter onCall: sees every call after it finishes (for the audit trail). It gets no
    ///   credentials: those live in the transport.
    public init(company: GPCompany, settings: GPSettings = GPSettings(), transport: any GPTransport,
                gate: any GPCallGate = UnlimitedGPCallGate(), tenant: String,
                logger: Logger = Logger(label: "gp"), onCall: (@Sendable (GPCallRecord) -> Void)? = nil) {
        self.company = company
        self.settings = settings
        self.transport = transport
        self.gate = gate
        self.tenant = tenant
        self.logger = logger
        self.onCall = onCall
    }

    /// Sends one request through the gate and transport; a non-2xx answer becomes a `GPError`.
    func perform(_ request: GPRequest, context: GPCallContext) throws(GPError) -> GPResponse {
        let started = Date()
        let result: Result<GPResponse, GPError>
        do {
            let response = try gate.withSlot(tenant: tenant) { () throws -> GPResponse in
                try transport.send(request)
            }
            result = (200..<300).contains(response.status)
                ? .success(response)
                : .failure(GPErrorClassifier.classify(status: response.status, body: response.body, context: context))
            record(request, response: response, error: result.failureValue, started: started)
        } catch let error as GPError {
            result = .failure(error)
            record(request, response: nil, error: error, started: started)
        } catch {
            let wrapped = GPError.callGateFailed(detail: "\(error)")
            result = .failure(wrapped)
            record(request, response: nil, error: wrapped, started: started)
        }
        return try result.get()
    }

    private func record(_ request: GPRequest, response: GPResponse?, error: GPError?, started: Date) {
        let duration = Date().timeIntervalSince(started)
        var metadata: Logger.Metadata = [
            "tenant": "\(tenant)", "method": "\(request.method)", "url": "\(request.url)",
            "duration_ms": "\(Int(duration * 1000))",
        ]
        if let response { metadata["status"] = "\(response.status)" }
        if let error, !error.isNotFound {
            metadata["error"] = "\(error.code)"
            logger.warning("gp call failed", metadata: metadata)
        } else {
            logger.debug("gp call", metadata: metadata)
        }
        onCall?(GPCallRecord(method: request.method, url: request.url, status: response?.status,
                             duration: duration, requestBody: request.body, responseBody: response?.body.prefix(GPCallRecord.bodyCap),
                             errorCode: error?.code))
    }

    func request(_ method: String, _ url: String, body: Data? = nil, headers: [GPHeader] = []) -> GPRequest {
        var all = [GPHeader("Accept", "application/json")]
        if body != nil { all.append(GPHeader("Content-Type", "application/json; charset=utf-8")) }
        all += headers
        return GPRequest(method: method, url: url, headers: all, body: body, timeout: settings.requestTimeout)
    }
}

/// One finished GP call, for the audit trail. Bodies are capped at `bodyCap` bytes.
public struct GPCallRecord: Sendable {
    public static let bodyCap = 16 * 1024
    public var method: String
    public var url: String
    public var status: Int?
    public var duration: Double
    public var requestBody: Data?
    public var responseBody: Data?
    public var errorCode: String?
}

extension GPError {
    /// A read of a missing record: an answer, not a failure worth a warning.
    var isNotFound: Bool {
        if case .notFound = self { return true }
        return false
    }
}

extension Result {
    var failureValue: Failure? {
        if case .failure(let f) = self { return f }
        return nil
    }
}
