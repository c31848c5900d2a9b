import CCurl

/// Sets options on an easy handle through the non-variadic shims, remembering the first failure
/// (an option libcurl rejects) so configuration reads as a flat list.
struct EasyOptions {
    let handle: UnsafeMutableRawPointer
    private(set) var failure: CURLcode?

    init(handle: UnsafeMutableRawPointer) {
        self.handle = handle
    }

    mutating func long(_ option: CURLoption, _ value: Int) {
        record(mlc_curl_setopt_long(handle, option, value))
    }

    mutating func string(_ option: CURLoption, _ value: String?) {
        // libcurl copies string options, so a temporary C string is enough.
        if let value {
            record(value.withCString { mlc_curl_setopt_str(handle, option, $0) })
        } else {
            record(mlc_curl_setopt_str(handle, option, nil))
        }
    }

    mutating func offset(_ option: CURLoption, _ value: Int) {
        record(mlc_curl_setopt_off(handle, option, curl_off_t(value)))
    }

    mutating func pointer(_ option: CURLoption, _ value: UnsafeRawPointer?) {
        record(mlc_curl_setopt_ptr(handle, option, value))
    }

    mutating func list(_ option: CURLoption, _ value: UnsafeMutablePointer<curl_slist>?) {
        record(mlc_curl_setopt_slist(handle, option, value))
    }

    /// In-memory PEM data; libcurl copies it (`CURL_BLOB_COPY`).
    mutating func blob(_ option: CURLoption, _ text: String) {
        var bytes = Array(text.utf8)
        record(bytes.withUnsafeMutableBytes { raw in
            var blob = curl_blob(data: raw.baseAddress, len: raw.count, flags: UInt32(CURL_BLOB_COPY))
            return mlc_curl_setopt_blob(handle, option, &blob)
        })
    }

    /// Points the body and header callbacks at `sink`, which must outlive `curl_easy_perform`.
    mutating func bindSink(_ sink: TransferSink) {
        let context = Unmanaged.passUnretained(sink).toOpaque()
        record(mlc_curl_setopt_writefn(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let sink = Unmanaged<TransferSink>.fromOpaque(context!).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
            // Returning less than was given makes libcurl stop with CURLE_WRITE_ERROR.
            return sink.appendBody(bytes) ? size * count : 0
        })
        pointer(CURLOPT_WRITEDATA, context)
        record(mlc_curl_setopt_headerfn(handle) { data, size, count, context in
            let sink = Unmanaged<TransferSink>.fromOpaque(context!).takeUnretainedValue()
            sink.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        })
        pointer(CURLOPT_HEADERDATA, context)
    }

    private mutating func record(_ code: CURLcode) {
        if code != CURLE_OK, failure == nil { failure = code }
    }
}
