"""Fixtures for the control-plane contract tests: a live `ml-connector serve` on a free port with
its own state folder, and an admin token bootstrapped with `ml-connector tokens create --admin`.

The server command is `.build/debug/ml-connector serve` (override with MLC_SERVER_CMD, a shell
command run in the repository root; the fixture still sets MLC_HOST, MLC_PORT, MLC_HOME and
MLC_MASTER_KEY). With DATABASE_URL set the server and the token command use that database;
otherwise the embedded PostgreSQL under a temporary MLC_HOME.
"""
import base64
import os
import pathlib
import shlex
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
SPEC = ROOT / "OpenAPI" / "openapi.yaml"
BINARY = pathlib.Path(os.environ.get("MLC_BINARY", ROOT / ".build" / "debug" / "ml-connector"))


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _binary_supports(*subcommand):
    """True when the built binary knows the subcommand (its --help succeeds)."""
    if not BINARY.exists():
        return False
    result = subprocess.run([str(BINARY), *subcommand, "--help"], capture_output=True, text=True, timeout=60)
    return result.returncode == 0


class LiveServer:
    def __init__(self, base_url, admin_token, log_path):
        self.base_url = base_url
        self.admin_token = admin_token
        self.log_path = log_path

    def url(self, path):
        return self.base_url + path

    def admin_headers(self):
        return {"Authorization": "Bearer " + self.admin_token}

    def logs(self):
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="session")
def live_server():
    command = os.environ.get("MLC_SERVER_CMD")
    if not command and not _binary_supports("serve"):
        pytest.skip(f"{BINARY} is missing or has no `serve` subcommand yet (build it, or set MLC_SERVER_CMD)")
    if not _binary_supports("tokens", "create"):
        pytest.skip(f"{BINARY} has no `tokens create` subcommand yet")

    home = pathlib.Path(tempfile.mkdtemp(prefix="mlc-contract-"))
    os.chmod(home, 0o755)  # the embedded PostgreSQL's service user must reach it when we run as root
    port = _free_port()
    env = dict(os.environ)
    env.update({
        "MLC_HOST": "127.0.0.1",
        "MLC_PORT": str(port),
        "MLC_HOME": str(home),
        "MLC_WORKERS": "0",
        "MLC_MASTER_KEY": base64.b64encode(os.urandom(32)).decode(),
        "MLC_LOG_LEVEL": "debug",
    })
    env.pop("MLC_MASTER_KEY_FILE", None)

    # The token first: with the embedded database the command starts and stops it itself.
    issued = subprocess.run([str(BINARY), "tokens", "create", "--admin", "--name", "contract tests"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert issued.returncode == 0, issued.stderr[-4000:]
    token = issued.stdout.strip()
    assert token.startswith("mlc_") and "\n" not in token

    log_path = home / "server.log"
    log = open(log_path, "w")
    argv = shlex.split(command) if command else [str(BINARY), "serve"]
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    try:
        while True:
            if process.poll() is not None:
                pytest.fail("the server exited during start:\n" + log_path.read_text(errors="replace")[-4000:])
            try:
                if requests.get(base + "/openapi.yaml", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the server did not answer within 120 s:\n" + log_path.read_text(errors="replace")[-4000:])
            time.sleep(0.2)
        yield LiveServer(base, token, log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(home, ignore_errors=True)
