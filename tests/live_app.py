"""The real app (``streamlit run server.py``) on a free port, for the
real-browser tests; the machinery is tests.browser's."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from tests.browser import CHROMIUM, CHROMIUM_ARGS, ROOT, chromium_available, free_port, serve, settle

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "ROOT", "chromium_available", "free_port", "running_app", "settle"]


@contextmanager
def running_app(
    db_path: Path, *, env: dict | None = None, cwd: Path = ROOT, timeout: float = 60, log_path: Path | None = None
):
    """Yield the base URL of the app serving ``db_path``; stop it afterwards."""
    with serve(ROOT / "server.py", db_path, env=env, cwd=cwd, timeout=timeout, log_path=log_path) as base:
        yield base
