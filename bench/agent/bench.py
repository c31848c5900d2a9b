"""Driver of bench/agent/run.sh: per round, a fresh direct tenant and a fresh agent tenant (with its
own `ml-connector agent` process), a first full item sync and a re-sync of each, alternating which
side goes first; prints items/s per side and the agent/direct ratios of the medians."""
import json
import os
import statistics
import subprocess
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


def tenant(tid, gp_port, shop_port, connection):
    gp = {"company_url": f"http://127.0.0.1:{gp_port}/GPService/Tenants(DefaultTenant)/Companies(Fabrikam%2C%20Inc.)/",
          "connection": connection, "auth": "basic", "tls": {"allow_insecure_http": True},
          "max_parallel_calls": 2, "price_level": "RETAIL", "sites": ["MAIN", "EAST"], "functional_currency": "USD"}
    if connection == "direct":
        gp.update({"username": os.environ["MLC_GP_USERNAME"], "password": os.environ["MLC_GP_PASSWORD"]})
    return {"id": tid, "name": f"Bench {tid}", "gp": gp,
            "commerce": {"base_url": f"http://127.0.0.1:{shop_port}", "store_code": "default",
                         "tls": {"allow_insecure_http": True}, "auth": dict(type="oauth1", **SIM)},
            "schedule": {"items_every_s": 0, "customers_every_s": 0, "orders_backstop_every_s": 0}}


def sync(port, token, tid):
    job = call(port, token, "POST", f"/v1/tenants/{tid}/syncs", {"entity": "items", "mode": "full"})["job"]
    while True:
        detail = call(port, token, "GET", f"/v1/jobs/{job['id']}")
        if detail["state"] in ("completed", "discarded", "cancelled"):
            break
        time.sleep(0.05)
    if detail["state"] != "completed":
        raise SystemExit(f"{tid} sync ended {detail['state']}: {detail.get('last_error')}")
    done = [e for e in detail["history"] if e["event"] == "completed"][-1]
    return detail["progress"]["processed"], done["duration_ms"] / 1000, detail["attempt"]


def main(port, token, gp_port, shop_direct, shop_agent, rounds, items):
    rates = {(side, kind): [] for side in ("direct", "agent") for kind in ("first", "resync")}
    log = open(os.environ.get("AGENT_LOG", "/dev/null"), "a")
    for r in range(rounds):
        direct, agent = f"direct-{r}", f"agent-{r}"
        call(port, token, "POST", "/v1/tenants", tenant(direct, gp_port, shop_direct, "direct"))
        call(port, token, "POST", "/v1/tenants", tenant(agent, gp_port, shop_agent, "agent"))
        bearer = call(port, token, "POST", f"/v1/tenants/{agent}/tokens", {"scope": "agent"})["token"]
        proc = subprocess.Popen([os.environ["MLC"], "agent", "--server", f"http://127.0.0.1:{port}", "--token", bearer,
                                 "--concurrency", "2", "--log-level", os.environ.get("AGENT_LOG_LEVEL", "warning")],
                                stdout=log, stderr=log)
        try:
            for _ in range(300):
                if call(port, token, "GET", f"/v1/tenants/{agent}").get("agent"):
                    break
                time.sleep(0.1)
            for tid in ([direct, agent] if r % 2 == 0 else [agent, direct]):
                side = "direct" if tid == direct else "agent"
                for kind in ("first", "resync"):
                    processed, seconds, attempt = sync(port, token, tid)
                    assert processed == items, (tid, processed, items)
                    rates[(side, kind)].append(processed / seconds)
                    print(f"round {r} {side:>6} {kind:>6}: {processed} items in {seconds:6.2f} s = "
                          f"{processed / seconds:8,.0f} items/s (attempt {attempt})", flush=True)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    for kind in ("first", "resync"):
        d, a = statistics.median(rates[("direct", kind)]), statistics.median(rates[("agent", kind)])
        print(f"{kind:>6} sync: median direct {d:8,.0f} items/s, agent {a:8,.0f} items/s, ratio agent/direct {a / d:.2f}")


if __name__ == "__main__":
    a = sys.argv[1:]
    main(int(a[0]), a[1], a[2], a[3], a[4], int(a[5]), int(a[6]))
