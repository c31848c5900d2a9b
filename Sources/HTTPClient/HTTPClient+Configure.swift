import CCurl

extension HTTPClient {
    /// Turns a request into easy-handle options. Every option is set on every request (the
    /// handle was reset), so nothing leaks from one request to the next.
    func configure(_ options: inout EasyOptions, for request: HTTPRequest,
                   body: UnsafeRawBufferPointer, headers: inout HeaderList) {
        options.string(CURLOPT_URL, request.url)
        options.string(CURLOPT_PROTOCOLS_STR, "http,https")
        options.string(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        // Signals are process-wide; libcurl must not use SIGALRM for timeouts on worker threads.
        options.long(CURLOPT_NOSIGNAL, 1)
        options.long(CURLOPT_TCP_KEEPALIVE, 1)
        options.long(CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeout.clampedMilliseconds)
        options.long(CURLOPT_TIMEOUT_MS, request.timeout.clampedMilliseconds)
        options.string(CURLOPT_USERAGENT, "ml-connector")
        // Every encoding libcurl can decode (gzip, deflate, br, zstd); the size cap applies to
        // the decoded body.
        options.string(CURLOPT_ACCEPT_ENCODING, "")
        // A declared Content-Length above the cap stops the transfer before the body arrives.
        options.offset(CURLOPT_MAXFILESIZE_LARGE, request.maxResponseBytes)

        if request.maxRedirects > 0 {
            options.long(CURLOPT_FOLLOWLOCATION, 1)
            options.long(CURLOPT_MAXREDIRS, request.maxRedirects)
        } else {
            options.long(CURLOPT_FOLLOWLOCATION, 0)
        }

        configureMethod(&options, request.method, body: body)
        configureAuth(&options, request.auth, headers: &headers)
        configureTLS(&options, request)
        configureProxy(&options, request.proxy)

        for field in request.headers {
            // "Name;" is libcurl's way to send a header with an empty value.
            headers.append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        // libcurl waits up to a second for "100 Continue" before sending a large body; servers
        // we talk to never need that pause.
        if !request.headers.contains("Expect") { headers.append("Expect:") }
        // libcurl would label any body application/x-www-form-urlencoded; the caller says what it is.
        if !request.headers.contains("Content-Type") { headers.append("Content-Type:") }
        options.list(CURLOPT_HTTPHEADER, headers.head)
    }

    private func configureMethod(_ options: inout EasyOptions, _ method: HTTPMethod, body: UnsafeRawBufferPointer) {
        let hasBody = !body.isEmpty
        switch method {
        case .head:
            options.long(CURLOPT_NOBODY, 1)
        case .get where !hasBody:
            options.long(CURLOPT_HTTPGET, 1)
        default:
            if method == .post || method == .put || method == .patch || hasBody {
                options.offset(CURLOPT_POSTFIELDSIZE_LARGE, body.count)
                if let base = body.baseAddress, hasBody {
                    // Not copied: the body outlives the transfer (perform holds it).
                    options.pointer(CURLOPT_POSTFIELDS, base)
                } else {
                    options.string(CURLOPT_COPYPOSTFIELDS, "")
                }
            }
            if method != .post { options.string(CURLOPT_CUSTOMREQUEST, method.rawValue) }
        }
    }

    private func configureAuth(_ options: inout EasyOptions, _ auth: HTTPAuth, headers: inout HeaderList) {
        switch auth {
        case .none:
            break
        case .basic(let user, let password):
            options.long(CURLOPT_HTTPAUTH, mlc_curlauth_basic)
            options.string(CURLOPT_USERNAME, user)
            options.string(CURLOPT_PASSWORD, password)
        case .ntlm(let user, let password):
            options.long(CURLOPT_HTTPAUTH, mlc_curlauth_ntlm)
            options.string(CURLOPT_USERNAME, user)
            options.string(CURLOPT_PASSWORD, password)
            // Connection-based schemes do not work over HTTP/2 (IIS answers HTTP_1_1_REQUIRED).
            options.long(CURLOPT_HTTP_VERSION, mlc_curl_http_version_1_1)
        case .negotiate(let user, let password):
            options.long(CURLOPT_HTTPAUTH, mlc_curlauth_negotiate)
            options.string(CURLOPT_USERNAME, user)
            options.string(CURLOPT_PASSWORD, password)
            options.long(CURLOPT_HTTP_VERSION, mlc_curl_http_version_1_1)
        case .bearer(let token):
            headers.append("Authorization: Bearer \(token)")
        }
    }

    private func configureTLS(_ options: inout EasyOptions, _ request: HTTPRequest) {
        if request.tls.verify {
            options.long(CURLOPT_SSL_VERIFYPEER, 1)
            options.long(CURLOPT_SSL_VERIFYHOST, 2)
        } else {
            logger.warning("TLS CERTIFICATE VERIFICATION IS OFF for this request: any server on the path can impersonate it and read the credentials sent to it. Give the server's CA as ca_pem instead.", metadata: [
                "url": "\(Redaction.scrubUserinfo(request.url))",
            ])
            options.long(CURLOPT_SSL_VERIFYPEER, 0)
            options.long(CURLOPT_SSL_VERIFYHOST, 0)
        }
        if let caPEM = request.tls.caPEM {
            options.blob(CURLOPT_CAINFO_BLOB, caPEM)
            // The tenant's CA replaces the system store rather than adding to it.
            options.string(CURLOPT_CAPATH, nil)
        }
    }

    private func configureProxy(_ options: inout EasyOptions, _ proxy: HTTPProxy) {
        switch proxy {
        case .environment:
            break // libcurl reads http_proxy / HTTPS_PROXY / ALL_PROXY / NO_PROXY itself.
        case .direct:
            options.string(CURLOPT_PROXY, "")
        case .url(let url, let noProxy):
            options.string(CURLOPT_PROXY, url)
            if let noProxy { options.string(CURLOPT_NOPROXY, noProxy) }
        }
    }
}

extension HTTPRequest {
    /// Rejects what libcurl would send mangled: line breaks in header fields (header
    /// injection) and NUL bytes that would cut C strings short.
    func validate() throws(HTTPClientError) {
        if url.utf8.contains(0) {
            throw .invalidURL(url: Redaction.scrubUserinfo(url.replacing("\0", with: "")), reason: "it contains a NUL byte")
        }
        if !method.rawValue.isEmpty, !method.rawValue.utf8.allSatisfy(Self.isTokenByte) {
            throw .invalidRequest(reason: "the method is not a valid HTTP token")
        }
        for field in headers {
            if field.name.isEmpty || !field.name.utf8.allSatisfy(Self.isTokenByte) {
                throw .invalidRequest(reason: "header name \"\(field.name.filter { !$0.isNewline })\" is not a valid HTTP token")
            }
            if field.value.utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 }) {
                throw .invalidRequest(reason: "the value of header \(field.name) contains a line break or NUL byte")
            }
        }
        if maxResponseBytes < 0 || maxRedirects < 0 {
            throw .invalidRequest(reason: "limits must not be negative")
        }
    }

    /// RFC 9110 token characters.
    private static func isTokenByte(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(c)
        }
    }
}
