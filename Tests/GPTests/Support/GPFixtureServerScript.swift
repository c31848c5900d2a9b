/// A GP-shaped Python server, independent of our simulator and HTTPServer: it checks the GP
/// client's transport against Python's http.server, ssl and pyspnego's NTLM acceptor (the same
/// technique as HTTPClientTests' fixture, whose script lives in that test target and cannot be
/// imported from here). It answers any `…/Sales/Customers(<id>)` with
/// `{"Payload": {"CustomerId": <id>, …}}` and reports the NTLM user, handshake legs and
/// connection number in `X-NTLM-User`, `X-NTLM-Legs`, `X-Connection`.
///
/// Modes: `ntlm` (users from `NTLM_USER_FILE`, lines `DOMAIN:user:password`), `tls CERT KEY`.
let gpFixtureServerScript = ##"""
import base64, http.server, json, signal, socketserver, ssl, sys, threading, urllib.parse

# Swift's test threads block signals and a child inherits that mask: unblock the stop signal.
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])

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
        self.connection_id = next_connection()
        self.ntlm = None
        self.ntlm_legs = 0
        self.ntlm_user = None

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        if mode == "ntlm" and not self.authenticate():
            return
        path = urllib.parse.unquote(self.path.split("?")[0])
        marker = "/Sales/Customers("
        if marker in path and path.endswith(")"):
            cid = path[path.index(marker) + len(marker):-1]
            doc = {"Payload": {"CustomerId": cid, "Name": "Aaron Fitz Electrical", "IsOnHold": False,
                               "IsActive": True, "ModifiedDate": "2024-05-01T00:00:00"}}
            status = 200
        else:
            doc = {"Errors": [{"Code": "NotFound", "Message": "No such resource."}]}
            status = 404
        self.reply(status, json.dumps(doc).encode(), [
            ("Content-Type", "application/json"), ("X-NTLM-User", str(self.ntlm_user)),
            ("X-NTLM-Legs", str(self.ntlm_legs)), ("X-Connection", str(self.connection_id))])

    def authenticate(self):
        import spnego, spnego.exceptions
        if self.ntlm_user is not None:
            return True
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("NTLM "):
            self.ntlm = None
            self.reply(401, b'{"Errors":[{"Code":"Unauthorized","Message":"Log in."}]}', [("WWW-Authenticate", "NTLM")])
            return False
        token = base64.b64decode(auth[5:])
        if self.ntlm is None:
            self.ntlm = spnego.server(protocol="ntlm")
        self.ntlm_legs += 1
        try:
            out = self.ntlm.step(token)
        except spnego.exceptions.SpnegoError:
            self.ntlm = None
            self.reply(401, b'{"Errors":[{"Code":"Unauthorized","Message":"Bad credentials."}]}', [("WWW-Authenticate", "NTLM")])
            return False
        if not self.ntlm.complete:
            self.reply(401, b"", [("WWW-Authenticate", "NTLM " + base64.b64encode(out).decode())])
            return False
        self.ntlm_user = self.ntlm.client_principal
        return True

    do_GET = do_POST = do_PATCH = handle_any

class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass

server = Server(("127.0.0.1", 0), Handler)
if mode == "tls":
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[2], sys.argv[3])
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
"""##
