"""Driver of bench/agent/run.sh: registers the two tenants, then runs alternating full item syncs
and prints items/s per side and the agent/direct ratio."""
import json
import statistics
import sys
import time
import urllib.request

SIM = {"consumer_key": "simconsumerkey000000000000000001", "consumer_secret": "simconsumersecret000000000000001",
       "access_token": "simaccesstoken000000000000000001", "access_token_secret": "simaccesstokensecret000000000001"}


def call(port, token, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data, method=method,
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read() or b"{}")


def tenant(tid, gp_port, shop_port, connection, user, password):
    gp = {"company_url": f"http://127.0.0.1:{gp_port}/GPService/Tenants(DefaultTenant)/Companies(Fabrikam%2C%20Inc.)/",
          "connection": connection, "auth": "basic", "tls": {"allow_insecure_http": True},
          "max_parallel_calls": 2, "price_level": "RETAIL", "sites": ["MAIN", "EAST"], "functional_currency": "USD"}
    if connection == "direct":
        gp.update({"username": user, "password": password})
    return {"id": tid, "name": f"Bench {tid}", "gp": gp,
            "commerce": {"base_url": f"http://127.0.0.1:{shop_port}", "store_code": "default",
                         "tls": {"allow_insecure_http": True}, "auth": dict(type="oauth1", **SIM)},
            "schedule": {"items_every_s": 0, "customers_every_s": 0, "orders_backstop_every_s": 0}}


def setup(port, token, gp_port, shop_direct, shop_agent, user, password):
    call(port, token, "POST", "/v1/tenants", tenant("direct", gp_port, shop_direct, "direct", user, password))
    call(port, token, "POST", "/v1/tenants", tenant("agent", gp_port, shop_agent, "agent", user, password))
    print(call(port, token, "POST", "/v1/tenants/agent/tokens", {"scope": "agent", "name": "bench agent"})["token"])


def sync(port, token, tid):
    job = call(port, token, "POST", f"/v1/tenants/{tid}/syncs", {"entity": "items", "mode": "full"})
    jid = job.get("id") or job.get("job", {}).get("id")
    while True:
        detail = call(port, token, "GET", f"/v1/jobs/{jid}")
        if detail["state"] in ("completed", "discarded", "cancelled"):
            break
        time.sleep(0.1)
    if detail["state"] != "completed":
        raise SystemExit(f"{tid} sync ended {detail['state']}: {detail.get('last_error')}")
    done = [e for e in detail["history"] if e["event"] == "completed"][-1]
    processed = detail["progress"]["processed"]
    return processed, done["duration_ms"] / 1000, detail["attempt"]


def run(port, token, rounds, items):
    # Wait until the agent has said hello.
    for _ in range(300):
        if call(port, token, "GET", "/v1/tenants/agent").get("agent"):
            break
        time.sleep(0.1)
    rates = {"direct": [], "agent": []}
    order = []
    for r in range(rounds):
        order += ["direct", "agent"] if r % 2 == 0 else ["agent", "direct"]
    for tid in order:
        processed, seconds, attempt = sync(port, token, tid)
        assert processed == items, (tid, processed, items)
        rates[tid].append(processed / seconds)
        print(f"{tid:>6}: {processed} items in {seconds:.2f} s = {processed / seconds:,.0f} items/s (attempt {attempt})", flush=True)
    direct, agent = statistics.median(rates["direct"]), statistics.median(rates["agent"])
    print(f"median direct {direct:,.0f} items/s, agent {agent:,.0f} items/s, ratio agent/direct {agent / direct:.2f}")


if __name__ == "__main__":
    cmd, port, token = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if cmd == "setup":
        setup(port, token, *sys.argv[4:9])
    else:
        run(port, token, int(sys.argv[4]), int(sys.argv[5]))
