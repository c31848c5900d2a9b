import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GP

/// TEMPORARY test transport until the libcurl HTTPClient lands; Basic auth only.
final class URLSessionTransport: GPTransport, @unchecked Sendable {
    let authorization: String?
    let session: URLSession

    init(user: String? = nil, password: String? = nil) {
        if let user, let password {
            authorization = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        } else {
            authorization = nil
        }
        session = URLSession(configuration: .ephemeral)
    }

    func send(_ request: GPRequest) throws(GPError) -> GPResponse {
        guard let url = URL(string: request.url) else { throw .invalidRequest("bad url \(request.url)") }
        var r = URLRequest(url: url)
        r.httpMethod = request.method
        r.timeoutInterval = request.timeout
        for h in request.headers { r.setValue(h.value, forHTTPHeaderField: h.name) }
        if let authorization { r.setValue(authorization, forHTTPHeaderField: "Authorization") }
        r.httpBody = request.body
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<GPResponse, GPError> = .failure(.unreachable(detail: "no answer"))
        let started = Date()
        session.dataTask(with: r) { data, response, error in
            if let error = error as? URLError {
                result = .failure(error.code == .timedOut ? .timeout(seconds: request.timeout) : .unreachable(detail: "\(error.code)"))
            } else if let http = response as? HTTPURLResponse {
                result = .success(GPResponse(status: http.statusCode, body: data ?? Data(), duration: Date().timeIntervalSince(started)))
            }
            done.signal()
        }.resume()
        done.wait()
        return try result.get()
    }
}
