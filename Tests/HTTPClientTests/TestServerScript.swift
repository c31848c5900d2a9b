/// The Python test servers, one script with a mode per behaviour, written to a temporary file by
/// `PythonServer`. Independent of our own HTTPServer module on purpose: the client is checked
/// against Python's http.server, ssl and pyspnego's NTLM acceptor.
///
/// Modes: `echo` (JSON of what arrived, plus `/status/N?retry-after=V`, `/bytes/N[/chunked]`,
/// `/redirect`, `/sleep/SECONDS`), `blackhole` (connections never complete), `tls CERT KEY` (the same over HTTPS), `silent` (accepts, never answers),
/// `ntlm` (NTLM acceptor, users from `NTLM_USER_FILE`), `negotiate` (always 401 Negotiate), `proxy` (a forward-proxy stand-in).
let testServerScript = ##"""
# Test servers for HTTPClientTests: one script, a mode per behaviour. Prints the bound port on the
# first stdout line, then serves until killed. Bound to 127.0.0.1 on an ephemeral port.
import base64, http.server, json, os, signal, socket, socketserver, ssl, sys, threading, time, urllib.parse

# The test process may block signals, and children inherit the mask: unblock so SIGTERM works.
signal.pthread_sigmask(signal.SIG_UNBLOCK, set(signal.Signals))

def exit_when_parent_goes():
    # stdin is a pipe from the test process; EOF means it ended (even if it crashed).
    sys.stdin.buffer.read()
    os._exit(0)

threading.Thread(target=exit_when_parent_goes, daemon=True).start()

mode = sys.argv[1]
lock = threading.Lock()
connections = 0

def next_connection():
    global connections
    with lock:
        connections += 1
        return connections

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        # Headers and body go out in two writes; without this, Nagle plus the client's delayed
        # ACK stall every response on a kept-alive connection by ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.connection_id = next_connection()
        self.ntlm = None
        self.ntlm_legs = 0
        self.ntlm_user = None

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def echo(self, extra=None):
        body = self.body
        doc = {
            "method": self.command,
            "path": self.path,
            "headers": [[k, v] for k, v in self.headers.items()],
            "body": body.decode("utf-8", "replace"),
            "connection": self.connection_id,
            "connections": connections,
        }
        if extra:
            doc.update(extra)
        self.reply(200, json.dumps(doc).encode(), [("Content-Type", "application/json"),
            ("X-Multi", "one"), ("X-Multi", "two")])

    def handle_any(self):
        self.body = self.read_body()
        if mode in ("echo", "tls"):
            if self.path.startswith("/status/"):
                # /status/429?retry-after=7 : the status with an optional Retry-After header.
                path, _, query = self.path.partition("?")
                status = int(path.split("/")[2])
                headers = [("Retry-After", urllib.parse.unquote(query.split("=", 1)[1]))] if query.startswith("retry-after=") else []
                self.reply(status, b"status", headers)
            elif self.path.startswith("/sleep/"):
                time.sleep(float(self.path.split("/")[2]))
                self.echo()
            elif self.path == "/redirect":
                self.reply(302, b"moved", [("Location", "/elsewhere")])
            elif self.path.startswith("/bytes/"):
                n = int(self.path.split("/")[2])
                if "chunked" in self.path:
                    # No Content-Length: the client only finds out while receiving.
                    self.send_response(200)
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    chunk = b"x" * 1024
                    sent = 0
                    while sent < n:
                        part = chunk[: min(1024, n - sent)]
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                        sent += len(part)
                    self.wfile.write(b"0\r\n\r\n")
                else:
                    self.reply(200, b"x" * n)
            else:
                self.echo()
        elif mode == "silent":
            time.sleep(3600)
        elif mode == "ntlm":
            self.handle_ntlm()
        elif mode == "negotiate":
            # Always challenges: without a Kerberos ticket the client cannot answer.
            self.reply(401, json.dumps({"authorization": self.headers.get("Authorization")}).encode(),
                       [("WWW-Authenticate", "Negotiate")])
        elif mode == "proxy":
            # An HTTP forward proxy stand-in: reports the absolute-form target it was asked for.
            self.echo({"proxied": True})

    def handle_ntlm(self):
        import spnego, spnego.exceptions
        if self.ntlm_user is None:
            auth = self.headers.get("Authorization", "")
            if not auth.startswith("NTLM "):
                self.ntlm = None
                self.reply(401, b"login", [("WWW-Authenticate", "NTLM")])
                return
            token = base64.b64decode(auth[5:])
            if self.ntlm is None:
                self.ntlm = spnego.server(protocol="ntlm")
            self.ntlm_legs += 1
            try:
                out = self.ntlm.step(token)
            except spnego.exceptions.SpnegoError as e:
                self.ntlm = None
                self.reply(401, b"bad credentials", [("WWW-Authenticate", "NTLM")])
                return
            if not self.ntlm.complete:
                self.reply(401, b"challenge", [("WWW-Authenticate", "NTLM " + base64.b64encode(out).decode())])
                return
            self.ntlm_user = self.ntlm.client_principal
        self.echo({"user": self.ntlm_user, "ntlm_legs": self.ntlm_legs})

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = handle_any

class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # clients that abort on purpose (size cap, TLS rejection) are not failures here

if mode == "blackhole":
    # A listener whose accept queue is full and never drained: new connections get no SYN-ACK,
    # so connecting times out.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        try:
            filler.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(filler)
    print(port, flush=True)
    while True:
        time.sleep(3600)

server = Server(("127.0.0.1", 0), Handler)
if mode == "tls":
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[2], sys.argv[3])
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
"""##
