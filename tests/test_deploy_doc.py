"""docs/deploy.md runs: every ```sh block of it, in order, in one bash, as an
operator would type them, against a throwaway PostgreSQL cluster. The guide's
/srv/tracker is a temporary folder here and its ports 8501 and 8502 free ones;
``python3 -m venv .venv`` is left to ``make test``, which runs the same
command before any test."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import threading

import pytest
import uvicorn
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from tests.browser import free_port
from tests.conftest import ROOT
from tests.pg_cluster import binaries

GUIDE = ROOT / "docs" / "deploy.md"
MADE_BY_MAKE = "python3 -m venv .venv"


def guide_commands() -> str:
    blocks = re.findall(r"^```sh\n(.*?)^```", GUIDE.read_text(encoding="utf-8"), re.DOTALL | re.MULTILINE)
    return "".join(blocks)


def proxy_headers() -> dict[str, str]:
    """The headers the guide's nginx block sets: name -> nginx value."""
    blocks = re.findall(r"^```nginx\n(.*?)^```", GUIDE.read_text(encoding="utf-8"), re.DOTALL | re.MULTILINE)
    assert len(blocks) == 1
    return dict(re.findall(r"^\s*proxy_set_header\s+(\S+)\s+(.+?);\s*$", blocks[0], re.MULTILINE))


def seen_by_the_app(proxy_address: str, headers: dict[str, str]) -> tuple[str, str]:
    """The client address and scheme the app sees of a request the proxy at
    ``proxy_address`` forwarded with ``headers``, behind uvicorn as Streamlit
    configures it (uvicorn's defaults: its proxy headers on, trusting FORWARDED_ALLOW_IPS)."""
    seen = {}

    async def app(scope, receive, send):
        seen.update(client=scope["client"][0], scheme=scope["scheme"])

    config = uvicorn.Config(app, log_config=None)
    assert config.proxy_headers
    scope = {
        "type": "http",
        "scheme": "http",  # the proxy speaks plain HTTP to the app server
        "client": (proxy_address, 40000),
        "headers": [(name.lower().encode(), value.encode()) for name, value in headers.items()],
    }
    middleware = ProxyHeadersMiddleware(app, trusted_hosts=config.forwarded_allow_ips)
    # in a thread of its own: a browser test earlier in the run may have left an event loop
    # running in this one, where asyncio.run refuses to start
    runner = threading.Thread(target=lambda: asyncio.run(middleware(scope, None, None)))
    runner.start()
    runner.join(timeout=30)
    return seen["client"], seen["scheme"]


def test_the_proxy_passes_the_visitors_address_and_scheme_to_the_app(monkeypatch):
    set_by_proxy = proxy_headers()
    assert set_by_proxy.get("X-Forwarded-For") == "$proxy_add_x_forwarded_for"
    assert set_by_proxy.get("X-Forwarded-Proto") == "$scheme"
    # what nginx (listening on 443) sends for a visitor at 203.0.113.7
    nginx_values = {"$proxy_add_x_forwarded_for": "203.0.113.7", "$scheme": "https"}
    sent = {name: nginx_values.get(value, value) for name, value in set_by_proxy.items()}
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    # a proxy on the same machine, as in the guide: believed as it is
    assert seen_by_the_app("127.0.0.1", sent) == ("203.0.113.7", "https")
    # one on another machine: not believed until the app server's environment names it, as the guide says
    assert seen_by_the_app("10.0.0.2", sent) == ("10.0.0.2", "http")
    guide = GUIDE.read_text(encoding="utf-8")
    assert "Environment=FORWARDED_ALLOW_IPS=10.0.0.2" in guide
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.2")
    assert seen_by_the_app("10.0.0.2", sent) == ("203.0.113.7", "https")


def test_the_guide_has_the_commands_of_both_ways():
    commands = guide_commands()
    for needed in ("init --empty", "copy --to", "pg_dump", "pg_restore", "maintain --keep-days", "migrate", "8502"):
        assert needed in commands, needed


def test_every_command_of_the_deployment_guide_runs(lake_cluster, tmp_path):
    if lake_cluster.folder is None:
        pytest.skip("the guide makes a database named tracker and a role: only on a throwaway cluster of the tests")
    home = tmp_path / "srv"
    ports = {"8501": str(free_port()), "8502": str(free_port())}
    script = guide_commands().replace("/srv/tracker", str(home))
    for port, free in ports.items():
        script = script.replace(port, free)
    lines = [line for line in script.splitlines() if line.strip() != MADE_BY_MAKE]
    assert len(lines) == len(script.splitlines()) - 1
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TRACKER_")}
    environment.update(
        PGHOST="127.0.0.1",
        PGPORT=str(lake_cluster.port),
        PGUSER="postgres",
        PATH=f"{binaries()}:{os.environ['PATH']}",
    )
    # the servers the guide starts in the background stop with the script
    prologue = "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n"
    done = subprocess.run(
        ["bash", "-c", prologue + "\n".join(lines)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    out = done.stdout
    assert "Password (shown once)" in out
    assert "identical row for row" in out
    assert "editor@kunta.example" in out and "coordinator@kunta.example" in out
    assert "snapshots older than 30 days expired" in out
    assert (home / "tracker-backup.duckdb").exists() and (home / "tracker-backup.zip").exists()
    assert (home / "catalog.dump").exists() and (home / "lake-data-backup").is_dir()
