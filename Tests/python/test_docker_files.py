"""The Docker files cannot be run here (no Docker engine), so they are checked by reading them."""
import pathlib
import re

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]


def load_compose():
    return yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())


def test_compose_has_server_and_postgres16_with_healthcheck_and_volume():
    doc = load_compose()
    services = doc["services"]
    assert set(services) == {"server", "postgres"}
    pg = services["postgres"]
    assert pg["image"] == "postgres:16"
    assert "pg_isready" in " ".join(pg["healthcheck"]["test"])
    volume = pg["volumes"][0].split(":")[0]
    assert volume in doc["volumes"], "the data volume must be declared at top level"


def test_compose_server_waits_for_healthy_postgres_and_points_at_it():
    services = load_compose()["services"]
    server = services["server"]
    assert server["depends_on"]["postgres"]["condition"] == "service_healthy"
    url = server["environment"]["DATABASE_URL"]
    assert re.search(r"@postgres:5432/", url), url
    assert server["build"]["dockerfile"] == "docker/Dockerfile"
    assert (ROOT / server["build"]["context"].replace("..", ".")).exists()
    # The master key must come from the operator, never a default baked into the file.
    assert server["environment"]["MLC_MASTER_KEY"].startswith("${MLC_MASTER_KEY:?")


def test_dockerfile_is_multistage_with_runtime_libraries_only():
    text = (ROOT / "docker" / "Dockerfile").read_text()
    stages = re.findall(r"^FROM\s+(\S+)", text, re.M)
    assert len(stages) == 2 and stages[0].startswith("swift:"), stages
    runtime = text.split("\nFROM ", 2)[2]
    for lib in ("libpq5", "libssl3", "libcurl4"):
        assert lib in runtime
    assert "-dev" not in runtime, "the runtime stage must not carry build packages"
    assert re.search(r"^USER\s+\S+", runtime, re.M), "the server must not run as root"
    for path in re.findall(r"^COPY (?!--from)(\S+)", text, re.M):
        assert (ROOT / path).exists(), f"COPY source {path} is missing"
