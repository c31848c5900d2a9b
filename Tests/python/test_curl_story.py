"""The issue's "Done when", with an independent HTTP client against the real binary: bootstrap an
admin token, register a tenant, read it back (no secret anywhere, including /metrics and the
logs), patch it, issue a tenant token that cannot read another tenant, delete it."""
import copy
import uuid

import requests

PASSWORD = "Contract-Test-Password-91f2"
OAUTH = {
    "consumer_key": "k" * 32, "consumer_secret": "s1" * 16,
    "access_token": "t2" * 16, "access_token_secret": "u3" * 16,
}
SECRETS = [PASSWORD, OAUTH["consumer_secret"], OAUTH["access_token"], OAUTH["access_token_secret"]]

TENANT = {
    "id": "contoso",
    "name": "Contoso Industrial",
    "gp": {
        "company_url": "https://gp.contoso.local/GPService/Tenants(DefaultTenant)/Companies(Contoso, Inc.)/",
        "connection": "direct", "auth": "ntlm",
        "username": "CONTOSO\\svc-gp", "password": PASSWORD,
        "max_parallel_calls": 3, "sites": ["MAIN", "EAST"], "price_level": "RETAIL",
    },
    "commerce": {
        "base_url": "https://shop.contoso.com", "store_code": "default",
        "auth": {"type": "oauth1", **OAUTH},
    },
}


def assert_no_secret(text):
    for secret in SECRETS:
        assert secret not in text


def test_a_new_user_can_do_the_whole_story_with_plain_http(live_server):
    # Unique ids and names: the contract test may have registered tenants on this server.
    suffix = uuid.uuid4().hex[:8]
    mine_id, other_id = "contoso-" + suffix, "fabrikam-" + suffix
    tenant = copy.deepcopy(TENANT)
    tenant.update(id=mine_id, name="Contoso " + suffix)
    s = requests.Session()
    admin = live_server.admin_headers()
    url = live_server.url

    r = s.post(url("/v1/tenants"), json=tenant, headers=admin)
    assert r.status_code == 201, r.text
    assert r.json()["gp"]["password_set"] is True
    assert r.json()["gp"]["company_url"].endswith("/Companies(Contoso%2C%20Inc.)/")
    assert_no_secret(r.text)

    r = s.get(url("/v1/tenants/" + mine_id), headers=admin)
    assert r.status_code == 200
    assert_no_secret(r.text)

    r = s.patch(url("/v1/tenants/" + mine_id), json={"gp": {"max_parallel_calls": 6}},
                headers={**admin, "Content-Type": "application/merge-patch+json"})
    assert r.status_code == 200, r.text
    assert r.json()["gp"]["max_parallel_calls"] == 6
    assert r.json()["gp"]["password_set"] is True

    other = copy.deepcopy(TENANT)
    other.update(id=other_id, name="Fabrikam " + suffix)
    assert s.post(url("/v1/tenants"), json=other, headers=admin).status_code == 201

    r = s.post(url("/v1/tenants/" + mine_id + "/tokens"), json={"scope": "tenant", "name": "dashboard"}, headers=admin)
    assert r.status_code == 201
    tenant_token = r.json()["token"]
    mine = {"Authorization": "Bearer " + tenant_token}
    assert s.get(url("/v1/tenants/" + mine_id), headers=mine).status_code == 200
    r = s.get(url("/v1/tenants/" + other_id), headers=mine)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "tenant_not_found"
    assert s.get(url("/v1/tenants/" + mine_id), headers={"Authorization": "Bearer nope"}).status_code == 401
    assert s.get(url("/v1/tenants/" + mine_id)).status_code == 401

    ping = s.post(url("/v1/tenants/" + mine_id + "/ping"), headers=mine)
    assert ping.status_code == 200
    assert set(ping.json()) == {"tenant", "gp", "commerce"}

    metrics = s.get(url("/metrics"))
    if metrics.status_code == 200:
        assert_no_secret(metrics.text)
        assert tenant_token not in metrics.text

    assert s.delete(url("/v1/tenants/" + mine_id), headers=admin).status_code == 204
    assert s.get(url("/v1/tenants/" + mine_id), headers=admin).status_code == 404
    assert s.delete(url("/v1/tenants/" + other_id), headers=admin).status_code == 204

    logs = live_server.logs()
    assert_no_secret(logs)
    assert tenant_token not in logs and live_server.admin_token not in logs
