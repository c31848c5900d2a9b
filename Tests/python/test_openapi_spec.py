"""The OpenAPI document is a valid OpenAPI 3.1 document and covers the control plane."""
import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

from conftest import SPEC


def test_the_spec_validates_as_openapi_3_1():
    document, _ = read_from_filename(str(SPEC))
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_the_spec_documents_every_route_of_the_control_plane():
    paths = yaml.safe_load(SPEC.read_text())["paths"]
    expected = {
        "/healthz": {"get"}, "/readyz": {"get"}, "/metrics": {"get"}, "/openapi.yaml": {"get"},
        "/v1/tenants": {"get", "post"},
        "/v1/tenants/{tenant}": {"get", "patch", "delete"},
        "/v1/tenants/{tenant}/ping": {"post"},
        "/v1/tenants/{tenant}/tokens": {"get", "post"},
        "/v1/tenants/{tenant}/tokens/{token}": {"delete"},
        "/v1/tenants/{tenant}/syncs": {"post"},
        "/v1/jobs": {"get"}, "/v1/jobs/{id}": {"get"},
        "/v1/jobs/{id}/replay": {"post"}, "/v1/jobs/{id}/cancel": {"post"},
        "/v1/tenants/{tenant}/records": {"get"}, "/v1/records/{id}": {"get"},
        "/v1/records/{id}/replay": {"post"},
        "/v1/webhooks/commerce/{tenant}": {"post"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert methods <= set(paths[path]), path


def test_every_v1_operation_needs_a_token_and_documents_its_errors():
    spec = yaml.safe_load(SPEC.read_text())
    assert spec["security"] == [{"bearer": []}]
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            if path.startswith("/v1/webhooks/"):
                # Authenticated by the payload signature, not a bearer token.
                assert operation.get("security") == [], f"{method} {path} should not take a bearer token"
                assert "401" in operation["responses"], f"{method} {path} lacks 401"
            elif path.startswith("/v1/"):
                assert "security" not in operation, f"{method} {path} must not opt out of auth"
                for status in ("401", "403", "429"):
                    assert status in operation["responses"], f"{method} {path} lacks {status}"
            else:
                assert operation.get("security") == [], f"{method} {path} should be public"


def test_no_response_schema_exposes_a_secret_field():
    text = yaml.safe_load(SPEC.read_text())
    tenant = text["components"]["schemas"]["Tenant"]
    gp = tenant["properties"]["gp"]["properties"]
    auth = tenant["properties"]["commerce"]["properties"]["auth"]["properties"]
    assert "password" not in gp and "password_set" in gp
    for secret in ("consumer_key", "consumer_secret", "access_token", "access_token_secret", "client_secret"):
        assert secret not in auth and secret + "_set" in auth
