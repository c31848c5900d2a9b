/// Collects one transfer's response from libcurl's callbacks: header lines and body bytes, with
/// the body capped. Lives only for the duration of `curl_easy_perform` on the calling thread.
final class TransferSink {
    let maxBodyBytes: Int
    private(set) var body: [UInt8] = []
    private(set) var headers = HTTPHeaders()
    private(set) var exceededSizeCap = false

    init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// Appends body bytes; false (abort the transfer) once the cap would be passed.
    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= maxBodyBytes else {
            exceededSizeCap = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// Takes one raw header line (CRLF included). A status line starts a new response: NTLM's
    /// 401 legs and `100 Continue` come before the final response, and only that one is kept.
    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        var line = bytes[...]
        while let last = line.last, last == 13 || last == 10 { line = line.dropLast() }
        if line.starts(with: "HTTP/".utf8) {
            headers = HTTPHeaders()
            body.removeAll(keepingCapacity: true)
            return
        }
        guard let first = line.first else { return }
        if first == 32 || first == 9 {
            // obs-fold continuation of the previous field's value.
            guard !headers.isEmpty else { return }
            headers.appendToLastValue(" " + Self.trimmed(line))
            return
        }
        guard let colon = line.firstIndex(of: 58) else { return }
        let name = String(decoding: line[..<colon], as: UTF8.self)
        headers.add(name, Self.trimmed(line[(colon + 1)...]))
    }

    private static func trimmed(_ bytes: Slice<UnsafeRawBufferPointer>) -> String {
        var slice = bytes
        while let c = slice.first, c == 32 || c == 9 { slice = slice.dropFirst() }
        while let c = slice.last, c == 32 || c == 9 { slice = slice.dropLast() }
        return String(decoding: slice, as: UTF8.self)
    }
}
