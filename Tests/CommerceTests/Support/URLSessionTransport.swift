import Commerce
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real-socket transport for tests that talks to the simulator over loopback.
struct URLSessionTransport: CommerceTransport {
    func send(_ request: CommerceHTTPRequest) throws(CommerceError) -> CommerceHTTPResponse {
        guard let url = URL(string: request.url) else { throw .invalidSettings(message: "bad url") }
        var r = URLRequest(url: url)
        r.httpMethod = request.method
        r.timeoutInterval = 20
        for h in request.headers { r.setValue(h.value, forHTTPHeaderField: h.name) }
        if let body = request.body { r.httpBody = Data(body) }
        final class Box: @unchecked Sendable { var value: Result<CommerceHTTPResponse, CommerceError> = .failure(.transport(message: "no answer")) }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: r) { data, response, error in
            if let http = response as? HTTPURLResponse {
                let headers = http.allHeaderFields.map { (name: "\($0.key)", value: "\($0.value)") }
                box.value = .success(CommerceHTTPResponse(status: http.statusCode, headers: headers, body: Array(data ?? Data())))
            } else {
                box.value = .failure(.transport(message: error.map { "\($0.localizedDescription)" } ?? "no response"))
            }
            done.signal()
        }.resume()
        done.wait()
        return try box.value.get()
    }
}
