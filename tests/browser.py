"""Serving a Streamlit script on a free local port and driving Debian's chromium
(never a downloaded browser) with Playwright: shared by the real-browser tests
and the browser benchmark. Playwright is imported by the callers, not here."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags chromium tries hosts this machine
# cannot reach; the page itself must ask for none.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


@contextmanager
def serve(
    script: Path,
    db_path: str | os.PathLike | None = None,
    *,
    env: dict | None = None,
    cwd: Path = ROOT,
    timeout: float = 60,
    log_path: Path | None = None,
) -> Iterator[str]:
    """Run ``streamlit run script`` (on ``db_path`` when given) on a free local
    port; yield its base URL and stop it afterwards. ``log_path``: where the
    server's output goes (a test reads it), else a temporary file."""
    port = free_port()
    environment = {**os.environ, **({"TRACKER_DB": str(db_path)} if db_path else {}), **(env or {})}
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    # The server's output goes to a file: a pipe nobody reads would fill up and stall it.
    log = open(log_path, "w+b") if log_path else tempfile.TemporaryFile()
    process = subprocess.Popen(command, cwd=cwd, env=environment, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    try:
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"{script.name} exited: " + log.read().decode(errors="replace"))
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{script.name} did not start on {base}")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def settle(page, timeout_s: float = 60) -> None:
    """Wait until Streamlit has mounted and its script run has finished."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout_s * 1000)
    # Before the first script run starts there is no status widget either:
    # wait until the page has put something on screen.
    page.wait_for_function(
        "() => (document.querySelector(\"[data-testid='stMain']\")?.innerText || '').trim().length > 0",
        timeout=timeout_s * 1000,
    )
    deadline = time.monotonic() + timeout_s
    quiet_since = None
    while time.monotonic() < deadline:
        # The status widget can be absent while the first run is still going (seen
        # under load), so the app's own script-state attribute must say it is done.
        finished = page.query_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
        busy = page.query_selector("[data-testid='stStatusWidget']") or page.query_selector(
            "[data-testid='stSkeleton']"
        )
        if busy or not finished:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 0.8:
            return
        time.sleep(0.1)
    raise TimeoutError("the page did not finish running")
