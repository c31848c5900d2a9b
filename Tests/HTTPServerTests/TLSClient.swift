import Foundation
import TestSupport

/// An independent TLS client: Python's `ssl` and `http.client` (standard library only), run as a
/// child process with files for its output (TestSupport's `runCommand`). It verifies the
/// server's certificate against the test CA, as any real client would.
enum TLSClient {
    static let script = #"""
    import http.client, json, os, socket, ssl, sys, time
    mode, port, ca = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    ctx = ssl.create_default_context(cafile=ca)

    def raw():
        # suppress_ragged_eofs=False: an end of stream without close_notify raises SSLEOFError.
        s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=60),
                            server_hostname="localhost", suppress_ragged_eofs=False)
        return s

    def until_closed(s):
        data = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    return data, "close_notify"
                data += chunk
        except ssl.SSLEOFError:
            return data, "eof_without_close_notify"
        except socket.timeout:
            return data, "still_open"
        except OSError as e:
            return data, "error: %s" % e

    if mode == "keepalive":
        conn = http.client.HTTPSConnection("localhost", port, context=ctx, timeout=60)
        out = []
        conn.request("GET", "/hello")
        r = conn.getresponse()
        out.append([r.status, r.read().decode()])
        sock = conn.sock
        big = bytes(range(256)) * 400
        conn.request("POST", "/echo", body=big, headers={"Content-Type": "application/octet-stream"})
        r = conn.getresponse()
        body = r.read()
        out.append([r.status, len(body), body == big])
        for i in range(3):
            conn.request("POST", "/echo", body=("n=%d" % i).encode())
            r = conn.getresponse()
            out.append([r.status, r.read().decode()])
        print(json.dumps({"results": out, "same_socket": conn.sock is sock, "version": sock.version()}))
    elif mode == "close":
        s = raw()
        s.sendall(b"GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data, how = until_closed(s)
        print(json.dumps({"response": data.decode(errors="replace"), "end": how}))
    elif mode == "idle":
        # One request, then wait (for the idle timeout, or for the server's graceful stop after
        # the marker file appears).
        s = raw()
        s.sendall(b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        data = b""
        while not data.endswith(b"hello"):
            data += s.recv(65536)
        if len(sys.argv) > 4:
            open(sys.argv[4], "w").close()
        rest, how = until_closed(s)
        print(json.dumps({"response": (data + rest).decode(errors="replace"), "end": how}))
    """#

    /// Runs one mode of the script against `port`; its JSON output, parsed.
    static func run(_ mode: String, port: Int, ca: String, extra: [String] = []) throws -> [String: Any] {
        let result = try runCommand("/usr/bin/env", ["python3", "-c", script, mode, "\(port)", ca] + extra, timeout: 120)
        guard result.status == 0,
              let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            throw TestSetupError("python TLS client (\(mode)) failed (\(result.status)): \(result.output)")
        }
        return object
    }
}
