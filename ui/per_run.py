"""What one script run reads again and again, read once at its start.

A run happens in one thread, so a thread-local holds it for the run's duration;
a value counts only when this thread's current run is this session's (a
thread serves other sessions' runs too)."""

from __future__ import annotations

import threading

from streamlit.runtime.scriptrunner import get_script_run_ctx

_this_run = threading.local()


def _session_id() -> str | None:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else None


def begin_run(language: str) -> None:
    """Called by dashboard.py at the start of every run, once the language is settled."""
    _this_run.__dict__.clear()
    _this_run.session = _session_id()
    _this_run.values = {"lang": language}


def _values() -> dict | None:
    if getattr(_this_run, "session", None) != _session_id():
        return None
    return getattr(_this_run, "values", None)


def value(name: str):
    """What this run remembered under ``name``, or None."""
    values = _values()
    return None if values is None else values.get(name)


def remember(name: str, remembered) -> None:
    """Keep ``remembered`` for the rest of this run (outside a run begun by dashboard.py: nothing)."""
    values = _values()
    if values is not None:
        values[name] = remembered
