"""A throwaway PostgreSQL cluster on a loopback port, for the lake pass of the
suite, the lake benchmarks and the load test: made from Debian's
``postgresql`` package in a temporary folder, stopped and deleted afterwards.

initdb refuses to run as root, so as root (CI) the cluster is made and run by
the ``postgres`` user that the package creates. Trust authentication on
127.0.0.1 only, fsync off: nothing in it outlives the run.

``TRACKER_TEST_PG`` (a libpq conninfo without dbname, e.g. ``host=127.0.0.1
port=5432 user=postgres``) names a server to use instead; the tests create and
drop their own databases in it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.browser import free_port

SERVER_ENV = "TRACKER_TEST_PG"


def binaries() -> Path | None:
    """The folder of initdb and pg_ctl: Debian's newest /usr/lib/postgresql/*/bin, or the PATH's."""
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if debian:
        return debian[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def unavailable_reason() -> str | None:
    """Why no cluster can be had here, or None when one can."""
    if os.environ.get(SERVER_ENV):
        return None
    if binaries() is None:
        return "PostgreSQL is not installed (apt-get install postgresql), and TRACKER_TEST_PG names no server"
    if os.geteuid() == 0 and _postgres_user() is None:
        return "running as root, and there is no postgres user to run PostgreSQL as"
    return None


def _postgres_user():
    import pwd

    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        return None


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _client(name: str) -> str:
    folder = binaries()
    if folder is not None and (folder / name).exists():
        return str(folder / name)
    return name


@dataclass
class Cluster:
    """A PostgreSQL server the caller may create databases in."""

    server: str  # conninfo without dbname
    folder: Path | None = None  # the cluster's own folder when this module started it
    port: int | None = None

    def conninfo(self, database: str) -> str:
        return f"dbname={database} {self.server}"

    def lake(self, database: str) -> str:
        """The TRACKER_DB of a lake whose catalog is ``database``."""
        return f"ducklake:postgres:{self.conninfo(database)}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        done = subprocess.run(
            [_client("psql"), "-X", "-qAt", "-v", "ON_ERROR_STOP=1", "-d", self.conninfo(database), "-c", sql],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"psql {sql!r}: {done.stderr.strip()}")
        return done.stdout

    def create_database(self, name: str, template: str | None = None) -> None:
        suffix = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
        self.psql(f"CREATE DATABASE {name}{suffix}")

    def drop_database(self, name: str) -> None:
        self.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        if self.folder is None:
            return
        pg_ctl = str(binaries() / "pg_ctl")
        stop = [pg_ctl, "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop"]
        subprocess.run(_as_postgres(stop), capture_output=True, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def start() -> Cluster:
    """The server of TRACKER_TEST_PG, or a new cluster on a free loopback port."""
    if os.environ.get(SERVER_ENV):
        return Cluster(os.environ[SERVER_ENV])
    reason = unavailable_reason()
    if reason:
        raise RuntimeError(reason)
    folder = Path(tempfile.mkdtemp(prefix="tracker-pg-"))
    if os.geteuid() == 0:
        user = _postgres_user()
        os.chown(folder, user.pw_uid, user.pw_gid)
    port = free_port()
    bindir = binaries()
    try:
        data = str(folder / "data")
        initdb = [str(bindir / "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]
        initdb.append("--locale=C.UTF-8")
        subprocess.run(_as_postgres(initdb), capture_output=True, check=True)
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"
        log = str(folder / "server.log")
        pg_ctl = [str(bindir / "pg_ctl"), "-D", data, "-l", log, "-w", "-t", "60", "-o", options, "start"]
        subprocess.run(_as_postgres(pg_ctl), capture_output=True, check=True)
    except subprocess.CalledProcessError as failed:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {failed.stderr.decode(errors='replace')}") from failed
    return Cluster(f"host=127.0.0.1 port={port} user=postgres", folder, port)
