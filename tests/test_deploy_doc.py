"""docs/deploy.md runs: every ```sh block of it, in order, in one bash, as an
operator would type them, against a throwaway PostgreSQL cluster. The guide's
/srv/tracker is a temporary folder here and its ports 8501 and 8502 free ones;
``python3 -m venv .venv`` is left to ``make test``, which runs the same
command before any test."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from tests.browser import free_port
from tests.conftest import ROOT
from tests.pg_cluster import binaries

GUIDE = ROOT / "docs" / "deploy.md"
MADE_BY_MAKE = "python3 -m venv .venv"


def guide_commands() -> str:
    blocks = re.findall(r"^```sh\n(.*?)^```", GUIDE.read_text(encoding="utf-8"), re.DOTALL | re.MULTILINE)
    return "".join(blocks)


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
